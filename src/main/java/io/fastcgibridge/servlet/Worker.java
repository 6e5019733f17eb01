package io.fastcgibridge.servlet;

import io.fastcgibridge.client.FastCgiAddress;
import io.fastcgibridge.client.ClientObserver;
import io.fastcgibridge.client.FastCgiClient;
import io.fastcgibridge.client.FastCgiException;
import io.fastcgibridge.client.PoolState;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One servlet's means of answering requests, bound to its backends: resolving paths, serving
 * static files, forwarding scripts to PHP-FPM, sending error pages. Pipelines and listeners call it.
 */
public final class Worker implements AutoCloseable {

    private final String name;
    private final BridgeConfig config;
    private final FastCgiClient client;
    private final ScriptResolver resolver;
    private final StaticFiles staticFiles;
    private final Forwarder forwarder;
    private final SpoolFiles spoolFiles;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile RequestRecorder recorder = RequestRecorder.NONE;

    Worker(String name, BridgeConfig config, ServletContext context) {
        this.name = name;
        this.config = config;
        this.client = new FastCgiClient(config.client(), ThreadNames.of(context), new ClientObserver() {
            @Override
            public void failed(FastCgiAddress backend, FastCgiException.Code code) {
                recorder.failed(backend, code);
            }
        });
        this.resolver = new ScriptResolver(config);
        this.staticFiles = new StaticFiles(context, CacheRule.parseAll(config.cacheControl()), config.compression(),
                config.symlinks());
        this.spoolFiles = SpoolFiles.in(temporaryFolder(context));
        this.forwarder = new Forwarder(config, client, new CgiEnvironment(config), spoolFiles,
                new RedirectTargets(config, resolver), staticFiles);
    }

    /** The servlet's name. */
    public String name() {
        return name;
    }

    public BridgeConfig config() {
        return config;
    }

    public List<FastCgiAddress> backends() {
        return config.client().backends();
    }

    /**
     * What the request's path inside the servlet's mapping is: a script, a static file, a redirect or
     * a refusal. Under {@code /php/*}, {@code /php/a.php} is the document root's {@code a.php}, and
     * {@code /php} itself is redirected to {@code /php/}.
     */
    public Resolution resolve(HttpServletRequest request) {
        String path = MappedPath.of(request).path();
        if (config.isInternal(ScriptResolver.collapseSlashes(path))) {
            return new Resolution.NotFound();
        }
        return path.isEmpty() ? new Resolution.Redirect("/") : resolver.resolve(path);
    }

    /** Answers a resolution that is not a script: serves the file, redirects, or refuses (404, 400). */
    public void answer(HttpServletRequest request, HttpServletResponse response, Resolution resolution)
            throws IOException {
        if (resolution instanceof Resolution.StaticFile file) {
            staticFiles.serveResolved(request, response, file.file());
        } else if (resolution instanceof Resolution.Redirect redirect) {
            String query = request.getQueryString();
            response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            response.setHeader("Location", request.getContextPath() + MappedPath.of(request).prefix()
                    + redirect.location() + (query == null ? "" : "?" + query));
        } else if (resolution instanceof Resolution.Script) {
            throw new IllegalArgumentException("a script is forwarded, not answered");
        } else {
            sendError(response, resolution instanceof Resolution.BadRequest ? 400 : 404);
        }
    }

    /** Serves a regular file of the document root, with conditional requests and ranges. */
    public void serveStatic(HttpServletRequest request, HttpServletResponse response, Path file) throws IOException {
        staticFiles.serve(request, response, file);
    }

    /**
     * Forwards a script to PHP-FPM asynchronously; {@code whenDone} learns how it ended, once, on
     * whichever thread ends it.
     */
    public void forward(HttpServletRequest request, HttpServletResponse response, Resolution.Script script,
            Consumer<ForwardResult> whenDone) throws IOException {
        inFlight.incrementAndGet();
        RequestRecorder recording = recorder;
        long start = recording == RequestRecorder.NONE ? 0 : System.nanoTime();
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable done = () -> {
            if (counted.getAndSet(false)) {
                inFlight.decrementAndGet();
            }
        };
        try {
            // Counted out only once its completion is handed on, so that a stop that waits for
            // in-flight requests also finds their completions queued.
            forwarder.forward(request, response, script, result -> {
                try {
                    recording.forwarded(result, System.nanoTime() - start);
                    whenDone.accept(result);
                } finally {
                    done.run();
                }
            });
        } catch (IOException | RuntimeException e) {
            done.run();
            throw e;
        }
    }

    /** Where this worker's requests are counted from now on (monitoring installs one at start). */
    public void recordTo(RequestRecorder value) {
        recorder = value;
    }

    /** Where this worker's requests are counted; {@link RequestRecorder#NONE} without monitoring. */
    public RequestRecorder recorder() {
        return recorder;
    }

    /** Each backend's connections now. */
    public List<PoolState> pools() {
        return client.pools();
    }

    /** Takes a backend marked down back into use at once; false when it is not one of this worker's. */
    public boolean markUp(FastCgiAddress backend) {
        return client.markUp(backend);
    }

    /** Forwarded requests not ended yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /** A complete error response with the bridge's own short body. */
    public void sendError(HttpServletResponse response, int status) throws IOException {
        ErrorPages.send(response, status, config.retryAfter());
    }

    @Override
    public void close() {
        client.close();
        spoolFiles.close();
    }

    /** The web application's own temporary folder (Servlet spec: {@code ServletContext.TEMPDIR}), if it has one. */
    private static Path temporaryFolder(ServletContext context) {
        Object folder = context == null ? null : context.getAttribute(ServletContext.TEMPDIR);
        return folder instanceof File file && file.isDirectory() ? file.toPath() : null;
    }
}
