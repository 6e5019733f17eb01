package io.fastcgibridge.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * What a {@link FastCgiServlet} does with each request and at the ends of its life. The servlet
 * finds one through {@link RequestPipelineFactory} (the event package supplies the one that fires
 * events); without any it serves static files and forwards scripts directly.
 */
public interface RequestPipeline {

    /** The worker is ready to serve. */
    default void started(Worker worker) {
    }

    /** Answers one request, now or asynchronously; on a container thread. */
    void handle(HttpServletRequest request, HttpServletResponse response, Worker worker) throws IOException;

    /** The worker is being destroyed. */
    default void stopped(Worker worker) {
    }
}
