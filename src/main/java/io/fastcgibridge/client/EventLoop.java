package io.fastcgibridge.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One selector thread. Channels registered here are only touched from this thread; other threads
 * hand work over with {@link #execute}. Timed objects are asked for their deadlines after each round
 * of I/O, at the latest when the earliest deadline they gave is due.
 */
final class EventLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    /** Something with deadlines, checked on the loop thread. */
    interface Timed {
        /** Acts on what is due at {@code now} and returns the next deadline, or {@code Long.MAX_VALUE}. */
        long onTimer(long now);

        /** The loop is stopping: release what is held and tell whoever waits. */
        default void onShutdown() {
        }
    }

    /** What a registered channel's key is attached to. */
    interface IoHandler {
        void onReady(SelectionKey key);
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final List<Timed> timed = new ArrayList<>();
    private final ConnectionBuffers buffers = new ConnectionBuffers(this::inLoop);
    private volatile boolean running = true;
    private volatile boolean terminated;
    private long nextTimerCheck = Long.MAX_VALUE;

    EventLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        // A new thread inherits its creator's priority; the loop serves every request alike.
        thread.setPriority(Thread.NORM_PRIORITY);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (terminated) {
            // Nobody selects any more: whatever still arrives (failure notices) runs here and now.
            runTasks();
        } else if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The buffers of this loop's connections; loop thread only. */
    ConnectionBuffers buffers() {
        return buffers;
    }

    /** Registers a channel; loop thread only. */
    SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws IOException {
        return channel.register(selector, ops, handler);
    }

    /** Starts asking {@code t} for deadlines; loop thread only. */
    void watch(Timed t) {
        timed.add(t);
    }

    void unwatch(Timed t) {
        timed.remove(t);
    }

    /** Makes sure timers are checked no later than {@code deadline}; loop thread only. */
    void wakeAt(long deadline) {
        nextTimerCheck = Math.min(nextTimerCheck, deadline);
    }

    void shutdown() {
        running = false;
        selector.wakeup();
        if (!inLoop()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                select();
                runTasks();
                checkTimers();
            } catch (ClosedSelectorException e) {
                return;
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.ERROR, "FCGI-0100 unexpected failure in the I/O loop; it goes on", e);
            }
        }
        closeAll();
    }

    private void select() throws IOException {
        long wait = nextTimerCheck == Long.MAX_VALUE ? 0
                : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTimerCheck - System.nanoTime()) + 1);
        int ready = tasks.isEmpty() ? selector.select(wait) : selector.selectNow();
        wakeupPending.set(false);
        if (ready == 0) {
            return;
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (key.isValid()) {
                ((IoHandler) key.attachment()).onReady(key);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "FCGI-0101 a task on the I/O loop failed", e);
            }
        }
    }

    private void checkTimers() {
        long now = System.nanoTime();
        if (now < nextTimerCheck) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (Timed t : List.copyOf(timed)) {
            next = Math.min(next, t.onTimer(now));
        }
        nextTimerCheck = next;
    }

    private void closeAll() {
        runTasks();
        for (Timed t : List.copyOf(timed)) {
            try {
                t.onShutdown();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "FCGI-0103 failure while shutting down", e);
            }
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
        terminated = true;
        runTasks();
    }
}
