package io.fastcgibridge.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Pulls one request's body into the client's send buffer, without blocking. A reader that has
 * nothing yet returns 0 and later runs the signal given to {@link #onReadable(Runnable)}.
 */
@FunctionalInterface
public interface BodyReader extends Closeable {

    /**
     * Copies available bytes into {@code target} (a heap buffer).
     *
     * @return the number of bytes copied, 0 when none is available yet, -1 at the end
     */
    int read(ByteBuffer target) throws IOException;

    /**
     * Called after {@link #read} returned 0: the reader runs {@code signal} once, from any thread,
     * when bytes (or the end) can be read. Readers that never return 0 need not implement it.
     */
    default void onReadable(Runnable signal) {
        signal.run();
    }

    @Override
    default void close() throws IOException {
    }
}
