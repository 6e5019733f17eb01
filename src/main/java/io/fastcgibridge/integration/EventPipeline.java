package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import io.fastcgibridge.monitor.Monitoring;
import io.fastcgibridge.servlet.ForwardResult;
import io.fastcgibridge.servlet.RequestId;
import io.fastcgibridge.servlet.RequestOutcome;
import io.fastcgibridge.servlet.RequestPipeline;
import io.fastcgibridge.servlet.Worker;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The request pipeline with events: every request is a {@link RequestEvent} for the observers in
 * priority order, then exactly one {@link RequestCompletedEvent}; the worker's life is
 * {@link WorkerStartEvent} and {@link WorkerStopEvent}; a backend failure a {@link WorkerErrorEvent}.
 * The events that close a request go to the {@link CompletionEvents} threads, whichever thread
 * ended it (a FastCGI I/O thread for a script).
 */
final class EventPipeline implements RequestPipeline {

    private static final System.Logger LOG = System.getLogger(EventPipeline.class.getName());

    private final EventDispatcher events;
    private final CompletionEvents completions;
    private final ServletContext context;
    private Monitoring monitoring;

    EventPipeline(EventDispatcher events, CompletionEvents completions, ServletContext context) {
        this.events = events;
        this.completions = completions;
        this.context = context;
    }

    @Override
    public void started(Worker worker) {
        monitoring = Monitoring.start(worker, context);
        AccessLogTargets.put(worker.name(), worker.config().accessLog());
        events.fire(new WorkerStartEvent(worker.name(), worker.backends()));
    }

    @Override
    public void stopped(Worker worker) {
        completions.close();
        events.fire(new WorkerStopEvent(worker.name(), worker.backends()));
        AccessLogTargets.remove(worker.name());
        if (monitoring != null) {
            monitoring.close();
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Worker worker) throws IOException {
        RequestSummary summary = RequestSummary.of(request);
        long bytesIn = request.getContentLengthLong();
        long start = System.nanoTime();
        RequestEvent event = new RequestEvent(request, response, worker,
                result -> forwarded(summary, worker, start, result));
        try {
            events.fireStoppable(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "FCGI-0500 an observer of "
                    + RequestId.describe(summary.id(), summary.method(), summary.uri()) + " failed: " + e, e);
            if (!event.isForwarded()) {
                if (!response.isCommitted()) {
                    response.reset();
                    worker.sendError(response, 500);
                }
                completed(summary, worker, start, bytesIn, response, RequestOutcome.FAILED);
            }
            return;
        }
        if (event.isForwarded()) {
            return;
        }
        if (!event.isPropagationStopped()) {
            // Every listener that could answer was removed by configuration.
            worker.sendError(response, 404);
        }
        completed(summary, worker, start, bytesIn, response,
                event.isServedFile() ? RequestOutcome.STATIC : RequestOutcome.VETOED);
    }

    /**
     * An answer written on the container thread (a file, an observer's): its size is what its
     * Content-Length says, when it says. Handed off as the servlet returns it to the container, which
     * sends the last buffered bytes then; observers run on the completion threads meanwhile.
     */
    private void completed(RequestSummary summary, Worker worker, long start, long bytesIn,
            HttpServletResponse response, RequestOutcome outcome) {
        worker.recorder().answered(outcome);
        String length = response.getHeader("Content-Length");
        long bytesOut = length == null || response.getStatus() == 304 ? -1 : Long.parseLong(length);
        completions.deliver(summary, List.of(new RequestCompletedEvent(summary, worker.name(), response.getStatus(),
                bytesIn, bytesOut, Duration.ofNanos(System.nanoTime() - start), null, outcome)));
    }

    /** On the thread that ended the forwarded request, often a FastCGI I/O thread: nothing but a hand-off. */
    private void forwarded(RequestSummary summary, Worker worker, long start, ForwardResult result) {
        List<Object> closing = new ArrayList<>(2);
        if (result.failure() != null && result.backend() != null) {
            closing.add(new WorkerErrorEvent(result.backend(),
                    new WorkerErrorEvent.RequestFailed(result.failure().code()), result.failure().getMessage()));
        }
        closing.add(new RequestCompletedEvent(summary, worker.name(), result.status(), result.bytesIn(),
                result.bytesOut(), Duration.ofNanos(System.nanoTime() - start),
                result.timeToFirstByteNanos() < 0 ? null : Duration.ofNanos(result.timeToFirstByteNanos()),
                result.outcome()));
        completions.deliver(summary, closing);
    }
}
