package io.fastcgibridge.task;

import io.fastcgibridge.event.EventDispatcher;
import io.fastcgibridge.event.TaskEvent;
import io.fastcgibridge.event.TaskFinishEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs background work through events: {@link #dispatch} delivers a {@link TaskEvent} to its
 * observers on a bounded executor, completes the returned future with the value an observer set,
 * and fires a {@link TaskFinishEvent}. Injectable in CDI; {@link #TaskDispatcher(EventDispatcher)}
 * without it.
 */
@ApplicationScoped
public class TaskDispatcher {

    /** Threads that run task observers. */
    public static final int THREADS = 4;

    /** Tasks that may wait for a thread; one more is refused. */
    public static final int QUEUE = 1000;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private EventDispatcher events;
    private ThreadPoolExecutor executor;
    private final AtomicLong ids = new AtomicLong();

    /** For CDI's proxies. */
    protected TaskDispatcher() {
    }

    @Inject
    public TaskDispatcher(BeanManager beans) {
        this(io.fastcgibridge.integration.Dispatchers.cdi(beans));
    }

    public TaskDispatcher(EventDispatcher events) {
        this.events = events;
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                task -> {
                    Thread thread = new Thread(task, "fastcgi-task-" + pool + "-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code data} past the task observers; the future holds the return value they set, or
     * their failure, or a {@link RejectedExecutionException} when the queue is full.
     */
    public CompletableFuture<Object> dispatch(Object data) {
        long id = ids.incrementAndGet();
        CompletableFuture<Object> result = new CompletableFuture<>();
        try {
            executor.execute(() -> run(id, data, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private void run(long id, Object data, CompletableFuture<Object> result) {
        TaskEvent task = new TaskEvent(id, data);
        String worker = Thread.currentThread().getName();
        try {
            events.fireStoppable(task);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            events.fire(new TaskFinishEvent(id, worker, null, e));
            return;
        }
        result.complete(task.returnValue());
        events.fire(new TaskFinishEvent(id, worker, task.returnValue(), null));
    }

    /** Stops taking tasks; those queued still run. */
    @PreDestroy
    public void shutdown() {
        executor.shutdown();
    }
}
