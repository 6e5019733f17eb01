package io.fastcgibridge.integration;

import io.fastcgibridge.event.RequestSummary;
import io.fastcgibridge.servlet.RequestId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the observers of the events that close a request ({@code WorkerErrorEvent},
 * {@code RequestCompletedEvent}, the access log) on the bridge's completion threads, once the
 * response is out: never on a FastCGI I/O thread, never holding a response. The pool is bounded:
 * {@link #THREADS} threads called {@code fastcgi-completion-CONTEXT-N}, at normal priority, and a
 * queue of {@link #QUEUE} requests; past that a request's completion is dropped with a log line,
 * never run on the caller's thread. At stop, what is queued is delivered for up to {@link #DRAIN}.
 * The threads linger between completions ({@link LingeringThreads}), so that a busy server does not
 * wake one for every request.
 */
final class CompletionEvents {

    /** Enough for observers that write a line; one that blocks longer delays only other completions. */
    static final int THREADS = 4;
    /** A few seconds of a busy server's requests, a few MB of heap at most. */
    static final int QUEUE = 10_000;
    /** How long a stop waits for queued completions, after requests in flight have ended. */
    static final Duration DRAIN = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(CompletionEvents.class.getName());
    private static final long DROP_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

    private final String application;
    private final CompletionDelivery delivery;
    private final LingeringThreads threads;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong nextDropLog = new AtomicLong(System.nanoTime());

    /** Completion threads for the web application called {@code application}, created as needed. */
    CompletionEvents(String application, CompletionDelivery delivery) {
        this.application = application;
        this.delivery = delivery;
        this.threads = new LingeringThreads(THREADS, QUEUE,
                threads("fastcgi-completion-" + application + "-", Thread.currentThread().getContextClassLoader()));
    }

    /**
     * Hands {@code events}, the close of {@code request}, to the completion threads; returns at once.
     * Events that only an unconfigured access log observes go nowhere.
     */
    void deliver(RequestSummary request, List<?> events) {
        if (delivery.onlyAccessLogObserves(events) && events.stream().noneMatch(AccessLogListener::writes)) {
            return;
        }
        if (!threads.offer(() -> run(request, events))) {
            dropped(request);
        }
    }

    private void run(RequestSummary request, List<?> events) {
        try {
            delivery.deliver(events, (observer, failure) -> LOG.log(System.Logger.Level.ERROR, "FCGI-0510 "
                    + observer + " failed on the completion of " + line(request)
                    + "; its response had been sent already, and the other observers ran: " + failure, failure));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "FCGI-0513 the completion of " + line(request)
                    + " could not be delivered: " + e, e);
        }
    }

    private static String line(RequestSummary request) {
        return RequestId.describe(request.id(), request.method(), request.uri());
    }

    /** Logs the first drop, then at most one line every 10 s with the count so far. */
    private void dropped(RequestSummary request) {
        long count = dropped.incrementAndGet();
        long now = System.nanoTime();
        long due = nextDropLog.get();
        if ((count == 1 || now - due >= 0) && nextDropLog.compareAndSet(due, now + DROP_LOG_INTERVAL)) {
            String why = threads.isStopping() ? "the application is stopping"
                    : QUEUE + " completions are waiting for " + THREADS + " threads: completion observers are too slow";
            LOG.log(System.Logger.Level.WARNING, "FCGI-0511 {0}: {1}; the completion of {2} is dropped (its"
                    + " RequestCompletedEvent and access log line), {3} dropped so far", application, why,
                    line(request), count);
        }
    }

    /**
     * Stops taking completions and delivers those queued for up to {@link #DRAIN}; observers still
     * running then are interrupted, and what is left is logged.
     */
    void close() {
        LingeringThreads.Stopped stopped = threads.stop(DRAIN.toNanos());
        if (!stopped.inTime()) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0512 {0}: completion observers still running {1} s into"
                    + " the stop are interrupted; {2} queued completions are dropped (their RequestCompletedEvent"
                    + " and access log lines)", application, DRAIN.toSeconds(), stopped.dropped());
        }
    }

    /** Daemon threads at normal priority with the web application's class loader, whoever starts them. */
    private static ThreadFactory threads(String prefix, ClassLoader loader) {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + next.getAndIncrement());
            thread.setDaemon(true);
            thread.setPriority(Thread.NORM_PRIORITY);
            thread.setContextClassLoader(loader);
            return thread;
        };
    }
}
