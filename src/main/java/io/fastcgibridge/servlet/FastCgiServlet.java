package io.fastcgibridge.servlet;

import io.fastcgibridge.client.FastCgiClient;
import io.fastcgibridge.client.FastCgiRequest;
import io.fastcgibridge.client.RequestBody;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a PHP application from PHP-FPM: resolves each path to a script or a static file of the
 * document root, and forwards scripts over FastCGI asynchronously, streaming both bodies, so that no
 * container thread ever waits for PHP. Configured by init-params (or context params) named as
 * {@link BridgeOption}s; must be mapped to {@code /} with async support.
 */
public class FastCgiServlet extends HttpServlet {

    private static final System.Logger LOG = System.getLogger(FastCgiServlet.class.getName());

    /** Set on a request whose committed response must break off: the re-dispatch then throws. */
    private static final String ABORT = FastCgiServlet.class.getName() + ".abort";

    private BridgeConfig config;
    private FastCgiClient client;
    private ScriptResolver resolver;
    private CgiEnvironment environment;
    private StaticFiles staticFiles;

    public FastCgiServlet() {
    }

    /** For code that builds its configuration itself, such as the launcher. */
    public FastCgiServlet(BridgeConfig config) {
        this.config = config;
    }

    @Override
    public void init() throws ServletException {
        if (config == null) {
            try {
                config = BridgeConfig.from(option -> initValues(option.key()));
            } catch (RuntimeException e) {
                throw new ServletException("FastCGI Bridge configuration: " + e.getMessage(), e);
            }
        }
        if (config.maxConnectionsDefaulted()) {
            LOG.log(System.Logger.Level.INFO, "FCGI-0001 max-connections not set: using {0} per backend;"
                    + " set it to PHP-FPM''s pm.max_children", config.client().maxConnections());
        }
        client = new FastCgiClient(config.client());
        resolver = new ScriptResolver(config);
        environment = new CgiEnvironment(config);
        staticFiles = new StaticFiles(getServletContext());
        LOG.log(System.Logger.Level.INFO, "FCGI-0002 {0} serves {1} through {2}", getServletName(),
                config.documentRoot(), config.client().backends());
    }

    /** The settings in use, once initialised. */
    public BridgeConfig config() {
        return config;
    }

    private List<String> initValues(String key) {
        String value = getInitParameter(key);
        if (value == null) {
            value = getServletContext().getInitParameter("fastcgi." + key);
        }
        return value == null ? List.of() : List.of(value);
    }

    @Override
    public void destroy() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (request.getAttribute(ABORT) != null) {
            throw new ServletException("the backend failed after the response had started; breaking it off");
        }
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        Resolution resolution = resolver.resolve(path);
        if (resolution instanceof Resolution.Script script) {
            forward(request, response, script);
        } else if (resolution instanceof Resolution.StaticFile file) {
            staticFiles.serve(request, response, file.file());
        } else if (resolution instanceof Resolution.Redirect redirect) {
            redirect(request, response, redirect.location());
        } else {
            ErrorPages.send(response, resolution instanceof Resolution.BadRequest ? 400 : 404, config.retryAfter());
        }
    }

    private void redirect(HttpServletRequest request, HttpServletResponse response, String location) {
        String query = request.getQueryString();
        response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
        response.setHeader("Location", request.getContextPath() + location + (query == null ? "" : "?" + query));
    }

    private void forward(HttpServletRequest request, HttpServletResponse response, Resolution.Script script)
            throws IOException {
        long length = request.getContentLengthLong();
        if (length > config.maxBody()) {
            response.setHeader("Connection", "close");
            ErrorPages.send(response, 413, config.retryAfter());
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        Completion completion = new Completion(async, request);
        ServletResponseSink sink = new ServletResponseSink(response, requestLine(request), config.retryAfter(),
                completion);
        async.addListener(completion.cancelling(sink));
        if (length >= 0 || request.getHeader("Transfer-Encoding") == null) {
            RequestBody body = length > 0 ? knownLength(request, length) : RequestBody.empty();
            send(request, script, body, Math.max(length, 0), sink);
            return;
        }
        new BodySpool(request.getInputStream(), config.bodyMemory(), config.maxBody(), outcome -> {
            if (outcome instanceof BodySpool.Outcome.Complete complete) {
                completion.onEnd(complete::release);
                send(request, script, complete.body(), complete.body().length(), sink);
            } else {
                if (outcome instanceof BodySpool.Outcome.TooLarge) {
                    sendQuietly(response, 413);
                }
                completion.complete();
            }
        });
    }

    private void send(HttpServletRequest request, Resolution.Script script, RequestBody body, long length,
            ServletResponseSink sink) {
        FastCgiRequest fastCgi = FastCgiRequest.get(script.file().toString())
                .withBody(request.getContentType(), body)
                .withMethod(request.getMethod())
                .withParams(environment.params(request, script, length))
                .withParamCharset(StandardCharsets.ISO_8859_1);
        client.send(fastCgi, sink);
    }

    private static RequestBody knownLength(HttpServletRequest request, long length) throws IOException {
        ServletBodyReader reader = new ServletBodyReader(request.getInputStream());
        AtomicBoolean opened = new AtomicBoolean();
        return new RequestBody() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public io.fastcgibridge.client.BodyReader open() throws IOException {
                if (opened.getAndSet(true)) {
                    throw new IOException("the HTTP request body can be read only once");
                }
                return reader;
            }

            @Override
            public boolean isRepeatable() {
                return false;
            }
        };
    }

    private void sendQuietly(HttpServletResponse response, int status) {
        try {
            ErrorPages.send(response, status, config.retryAfter());
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "FCGI-0304 could not send " + status, e);
        }
    }

    private static String requestLine(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getMethod() + " " + request.getRequestURI() + (query == null ? "" : "?" + query);
    }

    /** Ends one asynchronous request exactly once, and runs clean-ups at the end. */
    private static final class Completion implements ServletResponseSink.Completion {
        private final AsyncContext async;
        private final HttpServletRequest request;
        private final AtomicBoolean done = new AtomicBoolean();
        private final List<Runnable> onEnd = Collections.synchronizedList(new java.util.ArrayList<>());

        Completion(AsyncContext async, HttpServletRequest request) {
            this.async = async;
            this.request = request;
        }

        void onEnd(Runnable cleanUp) {
            onEnd.add(cleanUp);
        }

        @Override
        public void complete() {
            if (done.compareAndSet(false, true)) {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // the container already ended it (client gone, timeout)
                }
                runCleanUps();
            }
        }

        @Override
        public void abort() {
            if (done.compareAndSet(false, true)) {
                request.setAttribute(ABORT, Boolean.TRUE);
                try {
                    async.dispatch();
                } catch (IllegalStateException e) {
                    // already ended
                }
                runCleanUps();
            }
        }

        private void runCleanUps() {
            synchronized (onEnd) {
                onEnd.forEach(Runnable::run);
                onEnd.clear();
            }
        }

        /** Cancels the FastCGI call when the container ends the request first (client gone, error). */
        AsyncListener cancelling(ServletResponseSink sink) {
            return new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    sink.cancel();
                    runCleanUps();
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    sink.cancel();
                    complete();
                }

                @Override
                public void onError(AsyncEvent event) {
                    sink.cancel();
                    complete();
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            };
        }
    }
}
