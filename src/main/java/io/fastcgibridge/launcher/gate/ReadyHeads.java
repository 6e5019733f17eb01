package io.fastcgibridge.launcher.gate;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections whose request head is whole, in the order they completed, until Tomcat's acceptor
 * takes them. The gate's thread puts; any thread takes.
 */
final class ReadyHeads {

    private static final GatedConnection WAKE_UP = new GatedConnection(null, null);

    private final LinkedBlockingQueue<GatedConnection> queue = new LinkedBlockingQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Runnable onTaken;

    /** {@code onTaken} runs after each take: the gate may have room again. */
    ReadyHeads(Runnable onTaken) {
        this.onTaken = onTaken;
    }

    void put(GatedConnection connection) {
        bytes.addAndGet(connection.received().capacity());
        queue.offer(connection);
    }

    /** The next connection, waiting up to {@code timeout}; {@code null} if none came or the taker was woken. */
    GatedConnection take(long timeout, TimeUnit unit) throws InterruptedException {
        GatedConnection next = queue.poll(timeout, unit);
        if (next == null || next == WAKE_UP) {
            return null;
        }
        bytes.addAndGet(-next.received().capacity());
        onTaken.run();
        return next;
    }

    /** Makes a {@link #take} under way return at once. */
    void wakeUpTaker() {
        queue.offer(WAKE_UP);
    }

    int size() {
        return queue.size();
    }

    /** Heap held by the heads waiting. */
    long bytes() {
        return bytes.get();
    }

    /** Closes every connection still waiting. */
    void closeAll() {
        for (GatedConnection connection = queue.poll(); connection != null; connection = queue.poll()) {
            if (connection != WAKE_UP) {
                bytes.addAndGet(-connection.received().capacity());
                try {
                    connection.channel().close();
                } catch (IOException ignored) {
                    // being dropped anyway
                }
            }
        }
    }
}
