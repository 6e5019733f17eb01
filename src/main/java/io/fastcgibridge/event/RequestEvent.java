package io.fastcgibridge.event;

import io.fastcgibridge.servlet.ForwardResult;
import io.fastcgibridge.servlet.Resolution;
import io.fastcgibridge.servlet.Worker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Every request, before it is forwarded. Observers run in {@code @Priority} order; one may answer
 * the request itself ({@link #respond} or write the response and call {@link #responseSent()}),
 * which stops propagation: the static-resource listener does so for files, a maintenance observer
 * for everything. The built-in forwarding listener comes last and {@link #forward() forwards}.
 */
public final class RequestEvent implements StoppableEvent {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Worker worker;
    private final Consumer<ForwardResult> whenForwarded;
    private Resolution resolution;
    private volatile boolean stopped;
    private volatile boolean forwarded;

    RequestEvent(HttpServletRequest request, HttpServletResponse response, Worker worker,
            Consumer<ForwardResult> whenForwarded) {
        this.request = request;
        this.response = response;
        this.worker = worker;
        this.whenForwarded = whenForwarded;
    }

    public HttpServletRequest request() {
        return request;
    }

    public HttpServletResponse response() {
        return response;
    }

    /** The servlet's worker: configuration, static files, forwarding. */
    public Worker worker() {
        return worker;
    }

    /** What the path is in the document root: a script, a static file, a redirect or a refusal. */
    public synchronized Resolution resolution() {
        if (resolution == null) {
            resolution = worker.resolve(request);
        }
        return resolution;
    }

    /** The observer has answered the request through {@link #response()}; no later observer runs. */
    public void responseSent() {
        stopped = true;
    }

    /** Answers with a small body and stops propagation. */
    public void respond(int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        responseSent();
    }

    /**
     * Forwards the request's script to PHP-FPM, asynchronously, and stops propagation.
     *
     * @throws IllegalStateException when the resolution is not a script
     */
    public void forward() throws IOException {
        if (!(resolution() instanceof Resolution.Script script)) {
            throw new IllegalStateException("not a script: " + resolution());
        }
        forwarded = true;
        stopped = true;
        worker.forward(request, response, script, whenForwarded);
    }

    /** Whether {@link #forward()} was called: the request then ends asynchronously. */
    public boolean isForwarded() {
        return forwarded;
    }

    @Override
    public boolean isPropagationStopped() {
        return stopped;
    }
}
