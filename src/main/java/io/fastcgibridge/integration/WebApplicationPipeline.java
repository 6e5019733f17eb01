package io.fastcgibridge.integration;

import io.fastcgibridge.servlet.RequestPipeline;
import io.fastcgibridge.servlet.Worker;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The event pipeline inside a web application's container: the application's lifecycle learns of each
 * bridge servlet's start and stop ({@link WebApplicationLifecycle}), and Weld Servlet's request scope
 * follows requests that end asynchronously ({@link WeldRequestScope}).
 */
final class WebApplicationPipeline implements RequestPipeline {

    private final RequestPipeline events;
    private final ServletContext context;
    private final WeldRequestScope requestScope;

    WebApplicationPipeline(RequestPipeline events, ServletContext context) {
        this.events = events;
        this.context = context;
        this.requestScope = WeldRequestScope.of(context);
    }

    @Override
    public void started(Worker worker) {
        WebApplicationLifecycle.of(context).ifPresent(WebApplicationLifecycle::workerStarted);
        events.started(worker);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Worker worker) throws IOException {
        try {
            events.handle(request, response, worker);
        } finally {
            requestScope.dispatchEnded(request);
        }
    }

    /** The application stops: {@code ServerShutdownEvent} (once) before this servlet's {@code WorkerStopEvent}. */
    @Override
    public void stopped(Worker worker) {
        WebApplicationLifecycle.of(context).ifPresent(WebApplicationLifecycle::workerStopping);
        events.stopped(worker);
    }
}
