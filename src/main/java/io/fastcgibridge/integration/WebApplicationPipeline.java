package io.fastcgibridge.integration;

import io.fastcgibridge.servlet.RequestPipeline;
import io.fastcgibridge.servlet.Worker;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The event pipeline inside a web application's container: the application's lifecycle learns of each
 * bridge servlet's start and stop ({@link WebApplicationLifecycle}).
 */
final class WebApplicationPipeline implements RequestPipeline {

    private final RequestPipeline events;
    private final ServletContext context;

    WebApplicationPipeline(RequestPipeline events, ServletContext context) {
        this.events = events;
        this.context = context;
    }

    @Override
    public void started(Worker worker) {
        WebApplicationLifecycle.of(context).ifPresent(WebApplicationLifecycle::workerStarted);
        events.started(worker);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Worker worker) throws IOException {
        events.handle(request, response, worker);
    }

    /** The application stops: {@code ServerShutdownEvent} (once) before this servlet's {@code WorkerStopEvent}. */
    @Override
    public void stopped(Worker worker) {
        WebApplicationLifecycle.of(context).ifPresent(WebApplicationLifecycle::workerStopping);
        events.stopped(worker);
    }
}
