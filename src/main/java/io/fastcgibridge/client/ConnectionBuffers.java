package io.fastcgibridge.client;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * The receive and send buffers of closed connections, kept for the next connections of the same
 * loop. Without keep-alive every request opens a connection, and allocating its 64 KiB of direct
 * memory and 64 KiB of heap anew costs more than a small request itself.
 *
 * <p>Threading: used on its loop's thread only; after the loop has stopped, buffers are neither
 * handed out from nor given back to the cache (they are allocated and left to the collector).
 */
final class ConnectionBuffers {

    /** Receive buffer: room for a whole maximal record, so one read can complete one. */
    static final int IN_BUFFER = 64 * 1024 + 512;
    /** Send buffer: room for a maximal record and the headers of the next. */
    static final int OUT_BUFFER = 64 * 1024 + 512;
    /** Pairs kept at most: about 2 MiB a loop. */
    private static final int KEPT = 16;

    private final BooleanSupplier onLoopThread;
    private final ArrayDeque<ByteBuffer> receive = new ArrayDeque<>(KEPT);
    private final ArrayDeque<ByteBuffer> send = new ArrayDeque<>(KEPT);

    ConnectionBuffers(BooleanSupplier onLoopThread) {
        this.onLoopThread = onLoopThread;
    }

    /** A cleared receive buffer; direct, so that a read lands in it without the JDK's copy. */
    ByteBuffer receiveBuffer() {
        ByteBuffer kept = onLoopThread.getAsBoolean() ? receive.pollFirst() : null;
        return kept != null ? kept.clear() : ByteBuffer.allocateDirect(IN_BUFFER);
    }

    /** A cleared send buffer. */
    ByteBuffer sendBuffer() {
        ByteBuffer kept = onLoopThread.getAsBoolean() ? send.pollFirst() : null;
        return kept != null ? kept.clear() : ByteBuffer.allocate(OUT_BUFFER);
    }

    /** Takes back the buffers of a connection that is closed; nothing may use them any more. */
    void giveBack(ByteBuffer receiveBuffer, ByteBuffer sendBuffer) {
        if (!onLoopThread.getAsBoolean()) {
            return;
        }
        if (receiveBuffer != null && receive.size() < KEPT) {
            receive.addFirst(receiveBuffer);
        }
        if (sendBuffer != null && send.size() < KEPT) {
            send.addFirst(sendBuffer);
        }
    }
}
