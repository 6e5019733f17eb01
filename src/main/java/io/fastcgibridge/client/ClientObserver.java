package io.fastcgibridge.client;

/**
 * What a {@link FastCgiClient} tells monitoring as it works. Every method does nothing unless
 * overridden; they are called on FastCGI I/O threads, so an implementation only counts: quick,
 * never blocking, never throwing.
 */
public interface ClientObserver {

    /** An observer that ignores everything: the client's default. */
    ClientObserver NONE = new ClientObserver() {
    };

    /** A request to {@code backend} ended with a failure of this code. */
    default void failed(FastCgiAddress backend, FastCgiException.Code code) {
    }
}
