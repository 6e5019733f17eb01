package io.fastcgibridge.client;

import java.util.concurrent.atomic.AtomicInteger;

/** A fixed set of {@link EventLoop}s; new connections are spread over them in turn. */
final class EventLoopGroup {

    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    EventLoopGroup(int size) {
        this(size, "fastcgi-io-");
    }

    /** {@code size} loops whose threads are called {@code namePrefix} followed by 0, 1, ... */
    EventLoopGroup(int size, String namePrefix) {
        loops = new EventLoop[size];
        for (int i = 0; i < size; i++) {
            loops[i] = new EventLoop(namePrefix + i);
        }
    }

    EventLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /** The loop that runs the client's housekeeping. */
    EventLoop first() {
        return loops[0];
    }

    void shutdown() {
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
    }
}
