package io.fastcgibridge.servlet;

import io.fastcgibridge.client.FastCgiClient;
import io.fastcgibridge.client.FastCgiRequest;
import io.fastcgibridge.client.RequestBody;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Forwards one request to PHP-FPM asynchronously: refuses an oversized body, receives a body whole
 * before PHP-FPM is contacted (or, with {@code request-buffering off}, streams one that has a
 * Content-Length), and hands the response to a {@link ServletResponseSink}.
 */
final class Forwarder {

    private final BridgeConfig config;
    private final FastCgiClient client;
    private final CgiEnvironment environment;
    private final SpoolFiles files;
    private final RedirectTargets redirectTargets;
    private final StaticFiles staticFiles;

    Forwarder(BridgeConfig config, FastCgiClient client, CgiEnvironment environment, SpoolFiles files,
            RedirectTargets redirectTargets, StaticFiles staticFiles) {
        this.config = config;
        this.client = client;
        this.environment = environment;
        this.files = files;
        this.redirectTargets = redirectTargets;
        this.staticFiles = staticFiles;
    }

    void forward(HttpServletRequest request, HttpServletResponse response, Resolution.Script script,
            Consumer<ForwardResult> whenDone) throws IOException {
        long length = request.getContentLengthLong();
        if (length > config.maxBody()) {
            response.setHeader("Connection", "close");
            ErrorPages.send(response, 413, config.retryAfter());
            whenDone.accept(new ForwardResult(413, 0, 0, -1, RequestOutcome.FAILED, null, null));
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0);
        AsyncCompletion completion = new AsyncCompletion(async, request, whenDone);
        ServletResponseSink sink = new ServletResponseSink(response, requestLine(request), config, files, completion,
                responseRules(request, response));
        async.addListener(new ContainerEnds(sink));
        boolean chunked = length < 0 && request.getHeader("Transfer-Encoding") != null;
        if (length == 0 || (length < 0 && !chunked)) {
            send(request, script, RequestBody.empty(), sink);
        } else if (!config.requestBuffering() && !chunked) {
            ServletBodyReader reader = new ServletBodyReader(request.getInputStream(), length,
                    broken -> sink.refuse(ErrorPages.forBrokenBody(broken)));
            send(request, script, RequestBody.once(length, reader), sink);
        } else {
            receiveWhole(request, script, length, sink, completion);
        }
    }

    /** PHP-FPM is contacted only once the whole body is in; a body that does not arrive whole never reaches it. */
    private void receiveWhole(HttpServletRequest request, Resolution.Script script, long length,
            ServletResponseSink sink, AsyncCompletion completion) throws IOException {
        new BodySpool(request.getInputStream(), length, config.bodyMemory(), config.maxBody(), files, outcome -> {
            if (outcome instanceof BodySpool.Outcome.Complete complete) {
                completion.onEnd(() -> files.release(complete.file()));
                send(request, script, complete.body(), sink);
            } else {
                BodySpool.Outcome.Refused refused = (BodySpool.Outcome.Refused) outcome;
                if (refused.status() == 500) {
                    System.getLogger(Forwarder.class.getName()).log(System.Logger.Level.ERROR,
                            "FCGI-0313 {0}: 500: cannot store the request body in a temporary file: {1}",
                            requestLine(request), String.valueOf(refused.cause()));
                }
                sink.refuse(refused.status());
            }
        });
    }

    private void send(HttpServletRequest request, Resolution.Script script, RequestBody body,
            ServletResponseSink sink) {
        sink.bytesIn(body.length());
        FastCgiRequest fastCgi = FastCgiRequest.get(script.file().toString())
                .withBody(request.getContentType(), body)
                .withMethod(request.getMethod())
                .withParams(environment.params(request, script, body.length()))
                .withParamCharset(StandardCharsets.ISO_8859_1)
                .withKeepConn(config.keepAlive());
        client.send(fastCgi, sink);
    }

    private ResponseRules responseRules(HttpServletRequest request, HttpServletResponse response) {
        return new ResponseRules(ResponseCoding.forRequest(config.compression(), request.getMethod(),
                request.getHeader("Accept-Encoding")), new RedirectedFile.Context(request, response,
                requestLine(request), redirectTargets, staticFiles, config.retryAfter()));
    }

    private static String requestLine(HttpServletRequest request) {
        String query = request.getQueryString();
        return RequestId.describe(RequestId.of(request), request.getMethod(),
                request.getRequestURI() + (query == null ? "" : "?" + query));
    }

    /**
     * When the container ends the request first (client gone, error, timeout), the call is cancelled.
     * The reasons are plain strings, only logged: {@code onComplete} runs for every request, and an
     * exception with its stack trace cost 5 µs of CPU on each.
     */
    private record ContainerEnds(ServletResponseSink sink) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            sink.clientGone("the container completed the request");
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            sink.clientGone("the container timed the request out");
        }

        @Override
        public void onError(AsyncEvent event) {
            sink.clientGone(String.valueOf(event.getThrowable()));
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
