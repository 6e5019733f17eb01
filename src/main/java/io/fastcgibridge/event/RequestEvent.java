package io.fastcgibridge.event;

import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.ForwardResult;
import io.fastcgibridge.servlet.RequestId;
import io.fastcgibridge.servlet.Resolution;
import io.fastcgibridge.servlet.Worker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Every request, before it is forwarded. Observers run in {@code @Priority} order; one may answer
 * the request itself ({@link #respond}, {@link #serveFile}, {@link #answer}, or write the response
 * and call {@link #responseSent()}), which stops propagation: the static-resource listener does so for
 * files, a maintenance observer for everything. The built-in forwarding listener comes last and
 * {@link #forward() forwards}. Tests of observers build one with {@link #builder}.
 */
public final class RequestEvent implements StoppableEvent {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final RequestHandling handling;
    private Resolution resolution;
    private volatile boolean stopped;
    private volatile boolean forwarded;
    private volatile boolean servedFile;

    /**
     * The event for a request a servlet's worker answers; {@code whenForwarded} learns how a forwarded
     * request ended. The bridge fires these; tests use {@link #builder}.
     */
    public RequestEvent(HttpServletRequest request, HttpServletResponse response, Worker worker,
            Consumer<ForwardResult> whenForwarded) {
        this(request, response, RequestHandling.of(worker, whenForwarded));
    }

    private RequestEvent(HttpServletRequest request, HttpServletResponse response, RequestHandling handling) {
        this.request = request;
        this.response = response;
        this.handling = handling;
    }

    /** A builder of events for tests of observers: nothing is served or forwarded, only recorded. */
    public static Builder builder(HttpServletRequest request, HttpServletResponse response) {
        return new Builder(request, response);
    }

    public HttpServletRequest request() {
        return request;
    }

    public HttpServletResponse response() {
        return response;
    }

    /** The request's id, as PHP ({@code HTTP_X_REQUEST_ID}), the access log and the bridge's log lines have it. */
    public String requestId() {
        return RequestId.of(request);
    }

    /** What the path is in the document root: a script, a static file, a redirect or a refusal. */
    public synchronized Resolution resolution() {
        if (resolution == null) {
            resolution = handling.resolve(request);
        }
        return resolution;
    }

    /** The real path of the document root. */
    public Path documentRoot() {
        return handling.config().documentRoot();
    }

    /** The servlet's configuration, read-only. */
    public BridgeConfig config() {
        return handling.config();
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
     * Serves a regular file as the static-resource listener does (content type, {@code ETag}, 304,
     * ranges, precompressed siblings) and stops propagation. The file must be one the observer trusts:
     * no document-root or script check is made here.
     */
    public void serveFile(Path file) throws IOException {
        handling.serveFile(request, response, Objects.requireNonNull(file, "file"));
        servedFile = true;
        responseSent();
    }

    /**
     * Answers a resolution that is not a script without PHP: serves a static file, redirects, or
     * refuses (404, 400); stops propagation.
     *
     * @throws IllegalArgumentException for a script, which is {@link #forward() forwarded}
     */
    public void answer(Resolution answer) throws IOException {
        if (answer instanceof Resolution.Script) {
            throw new IllegalArgumentException("a script is forwarded, not answered: " + answer);
        }
        handling.answer(request, response, answer);
        servedFile = answer instanceof Resolution.StaticFile;
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
        handling.forward(request, response, script);
    }

    /**
     * Whether {@link #serveFile}, or {@link #answer} with a static file, answered it: the access
     * log's outcome says so.
     */
    public boolean isServedFile() {
        return servedFile;
    }

    /** Whether {@link #forward()} was called: the request then ends asynchronously. */
    public boolean isForwarded() {
        return forwarded;
    }

    @Override
    public boolean isPropagationStopped() {
        return stopped;
    }

    @Override
    public String toString() {
        return "RequestEvent[" + request.getMethod() + " " + request.getRequestURI() + ", stopped=" + stopped
                + ", forwarded=" + forwarded + "]";
    }

    /** Builds events for tests of observers: what the bridge would resolve is given, nothing is served or forwarded. */
    public static final class Builder {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private Resolution resolution = new Resolution.NotFound();
        private BridgeConfig config;

        private Builder(HttpServletRequest request, HttpServletResponse response) {
            this.request = request;
            this.response = response;
        }

        /** What {@link RequestEvent#resolution()} gives; 404 by default. */
        public Builder resolution(Resolution value) {
            this.resolution = Objects.requireNonNull(value);
            return this;
        }

        /** What {@link RequestEvent#config()} and {@link RequestEvent#documentRoot()} give. */
        public Builder config(BridgeConfig value) {
            this.config = Objects.requireNonNull(value);
            return this;
        }

        public RequestEvent build() {
            return new RequestEvent(request, response, RequestHandling.recording(resolution, config));
        }
    }
}
