package io.fastcgibridge.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Temporary files for request bodies and responses, and the threads that do their disk I/O when
 * the thread at hand must not block (the FastCGI client's I/O threads). A file is unlinked as soon
 * as it is open, so nothing is left on disk however the process ends; closing its channel frees it.
 */
final class SpoolFiles implements AutoCloseable {

    /** The prefix of every temporary file's name. */
    static final String PREFIX = "fastcgi-bridge-";

    /** Runs a small task after a delay, on another thread. */
    @FunctionalInterface
    interface Timer {
        void schedule(Runnable task, long delayNanos);
    }

    private final Path directory;
    private final ExecutorService io;
    private final Timer timer;
    private final LongSupplier clock;
    private final Runnable stopTimer;
    private final SpoolMemory memory;

    /**
     * Files go to {@code directory} (the JVM's temporary folder when {@code null}); {@code io}
     * does their disk work; {@code timer} and {@code clock} time the spill decision; the spools'
     * memory has no common budget.
     */
    SpoolFiles(Path directory, ExecutorService io, Timer timer, LongSupplier clock) {
        this(directory, io, timer, clock, new SpoolMemory(Long.MAX_VALUE));
    }

    /** As above, the spools holding at most {@code memory}'s budget in memory together. */
    SpoolFiles(Path directory, ExecutorService io, Timer timer, LongSupplier clock, SpoolMemory memory) {
        this(directory, io, timer, clock, () -> { }, memory);
    }

    private SpoolFiles(Path directory, ExecutorService io, Timer timer, LongSupplier clock, Runnable stopTimer,
            SpoolMemory memory) {
        this.directory = directory;
        this.io = io;
        this.timer = timer;
        this.clock = clock;
        this.stopTimer = stopTimer;
        this.memory = memory;
    }

    /**
     * With daemon threads of its own, as many as processors, that end when idle, and one timer
     * thread; the response spools share {@link SpoolMemory#forHeap()}.
     */
    static SpoolFiles in(Path directory) {
        AtomicInteger count = new AtomicInteger();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        // Each request queues at most a couple of tasks at a time: the queue is bounded by the requests in flight.
        ThreadPoolExecutor io = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> daemon(task, "fastcgi-spool-" + count.incrementAndGet()));
        io.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                task -> daemon(task, "fastcgi-spool-timer"));
        timer.setRemoveOnCancelPolicy(true);
        return new SpoolFiles(directory, io, (task, delay) -> timer.schedule(task, delay, TimeUnit.NANOSECONDS),
                System::nanoTime, timer::shutdownNow, SpoolMemory.forHeap());
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The memory budget all response spools share. */
    SpoolMemory memory() {
        return memory;
    }

    /** The time, in nanoseconds from an arbitrary origin. */
    long now() {
        return clock.getAsLong();
    }

    /** Runs {@code task} after {@code delayNanos}; may throw {@code RejectedExecutionException} once closed. */
    void later(Runnable task, long delayNanos) {
        timer.schedule(task, delayNanos);
    }

    /** Runs disk work off the calling thread; may throw {@code RejectedExecutionException} once closed. */
    Executor io() {
        return io;
    }

    /** A new, empty, already unlinked temporary file, open for reading and writing. */
    FileChannel create(String kind) throws IOException {
        Path file = directory == null ? Files.createTempFile(PREFIX + kind, ".tmp")
                : Files.createTempFile(directory, PREFIX + kind, ".tmp");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            // A system that cannot delete an open file (Windows): it goes when the channel closes.
            channel.close();
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        }
        return channel;
    }

    /**
     * Closes a file on a disk thread, since freeing a large file's pages takes the kernel a while;
     * at once when no thread is left.
     */
    void release(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            io.execute(() -> closeQuietly(channel));
        } catch (RejectedExecutionException e) {
            closeQuietly(channel);
        }
    }

    /** Fills {@code target} from {@code from} on; the file must hold that much. */
    static void readFully(FileChannel source, long from, ByteBuffer target) throws IOException {
        if (source == null) {
            throw new IOException("the temporary file was closed");
        }
        while (target.hasRemaining()) {
            if (source.read(target, from + target.position()) < 0) {
                throw new IOException("the temporary file ended early");
            }
        }
    }

    static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // an unlinked temporary file: closing is all there is to do
            }
        }
    }

    /** No new disk work; what is queued still runs. */
    @Override
    public void close() {
        io.shutdown();
        stopTimer.run();
    }
}
