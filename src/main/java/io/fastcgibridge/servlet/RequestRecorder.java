package io.fastcgibridge.servlet;

import io.fastcgibridge.client.ClientObserver;

/**
 * Learns how each request of a {@link Worker} ended, for counters and meters. Every method does
 * nothing unless overridden. Called on the thread that ends the request, often a FastCGI I/O
 * thread: an implementation only counts, never blocks, never throws.
 */
public interface RequestRecorder extends ClientObserver {

    /** A recorder that ignores everything: a worker's default until monitoring starts. */
    RequestRecorder NONE = new RequestRecorder() {
    };

    /** A request forwarded to PHP-FPM ended; {@code nanos} from the start of forwarding to its end. */
    default void forwarded(ForwardResult result, long nanos) {
    }

    /** A request was answered without PHP: {@link RequestOutcome#STATIC} or {@link RequestOutcome#VETOED}. */
    default void answered(RequestOutcome outcome) {
    }
}
