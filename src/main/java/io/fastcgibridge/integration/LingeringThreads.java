package io.fastcgibridge.integration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed number of threads taking short tasks from one bounded queue, made for a steady stream of
 * tasks handed over by I/O threads. A thread that runs out of work lingers for {@link #LINGER_NANOS}
 * before it sleeps, and whoever adds a task wakes a sleeping thread only when no thread is awake and
 * free. A busy server so pays about one wake-up per linger instead of one per task: a wake-up is a
 * system call on the I/O thread and a context switch, which on a virtual machine cost more than the
 * task itself.
 *
 * <p>A task that blocks holds only its own thread: while no thread is free, every new task wakes
 * another one, and a thread that takes a task from a long queue ({@link #BACKLOG}) wakes one more.
 */
final class LingeringThreads {

    /** How long a thread without work waits for more before it sleeps: far below anything a log reader sees. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Queued tasks past which a thread that takes one wakes another, as a burst needs more than one. */
    static final int BACKLOG = 32;

    private static final System.Logger LOG = System.getLogger(LingeringThreads.class.getName());

    private final ArrayBlockingQueue<Runnable> queue;
    private final int size;
    private final ThreadFactory factory;
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Thread> sleepers = new ConcurrentLinkedQueue<>();
    /** Threads started and neither running a task nor asleep. */
    private final AtomicInteger free = new AtomicInteger();
    private volatile boolean stopping;

    /** Up to {@code size} threads from {@code factory}, started as work arrives; at most {@code capacity} tasks wait. */
    LingeringThreads(int size, int capacity, ThreadFactory factory) {
        this.size = size;
        this.factory = factory;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues {@code task}; returns {@code false}, and runs nothing, when the queue is full or the threads stop. */
    boolean offer(Runnable task) {
        if (stopping || !queue.offer(task)) {
            return false;
        }
        if (free.get() == 0) {
            wakeOne();
        }
        return true;
    }

    boolean isStopping() {
        return stopping;
    }

    /** How a stop went: whether every thread ended in time, and how many queued tasks never ran. */
    record Stopped(boolean inTime, int dropped) {
    }

    /**
     * Takes no more tasks and waits up to {@code timeoutNanos} for the queued ones, less if the caller
     * is interrupted; then interrupts the threads still running and drops what is still queued.
     */
    Stopped stop(long timeoutNanos) {
        stopping = true;
        List<Thread> started;
        synchronized (threads) {
            started = List.copyOf(threads);
        }
        started.forEach(LockSupport::unpark);
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            for (Thread thread : started) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean inTime = started.stream().noneMatch(Thread::isAlive);
        int dropped = 0;
        while (queue.poll() != null) {
            dropped++;
        }
        started.forEach(Thread::interrupt);
        return new Stopped(inTime, dropped);
    }

    private void wakeOne() {
        Thread sleeper = sleepers.poll();
        if (sleeper != null) {
            LockSupport.unpark(sleeper);
            return;
        }
        synchronized (threads) {
            if (threads.size() < size && !stopping) {
                free.incrementAndGet();
                Thread thread = factory.newThread(this::work);
                threads.add(thread);
                thread.start();
            }
        }
    }

    private void work() {
        Thread me = Thread.currentThread();
        boolean lingered = false;
        while (true) {
            Runnable task = queue.poll();
            if (task != null) {
                if (free.decrementAndGet() == 0 && queue.size() >= BACKLOG) {
                    wakeOne();
                }
                run(task);
                free.incrementAndGet();
                lingered = false;
            } else if (stopping) {
                return;
            } else if (!lingered) {
                LockSupport.parkNanos(this, LINGER_NANOS);
                lingered = true;
            } else {
                // Registered before it stops counting as free, so that an adder that sees no free thread finds it.
                sleepers.add(me);
                free.decrementAndGet();
                if (queue.isEmpty() && !stopping) {
                    LockSupport.park(this);
                }
                sleepers.remove(me);
                free.incrementAndGet();
                lingered = false;
            }
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "FCGI-0513 a completion could not be delivered; its thread goes on", e);
        }
    }
}
