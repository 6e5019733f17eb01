package io.fastcgibridge.servlet;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that all response spools of one application hold together, against one budget: a spool
 * may keep up to its own limit in memory while its client keeps up, but once the spools together
 * hold the budget, each pauses its producer as if its own memory were full. So a large per-response
 * buffer spares fast clients the pauses while many slow ones still cannot fill the heap.
 */
final class SpoolMemory {

    /** The share of the heap the response spools may hold together. */
    static final int HEAP_SHARE = 8;

    private final long budget;
    private final AtomicLong held = new AtomicLong();

    SpoolMemory(long budget) {
        this.budget = Math.max(1, budget);
    }

    /** A budget of 1/{@link #HEAP_SHARE} of the heap the JVM may grow to. */
    static SpoolMemory forHeap() {
        return new SpoolMemory(Runtime.getRuntime().maxMemory() / HEAP_SHARE);
    }

    /** A spool now holds {@code delta} bytes more (or fewer, when negative). */
    void change(long delta) {
        if (delta != 0) {
            held.addAndGet(delta);
        }
    }

    /** Whether the spools together hold the whole budget. */
    boolean exhausted() {
        return held.get() >= budget;
    }

    /** Bytes the spools hold together; for tests and metrics. */
    long held() {
        return held.get();
    }
}
