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
 * Forwards one request to PHP-FPM asynchronously: refuses an oversized body, streams one with a
 * Content-Length, spools a chunked one first, and hands the response to a {@link ServletResponseSink}.
 */
final class Forwarder {

    private final BridgeConfig config;
    private final FastCgiClient client;
    private final CgiEnvironment environment;

    Forwarder(BridgeConfig config, FastCgiClient client, CgiEnvironment environment) {
        this.config = config;
        this.client = client;
        this.environment = environment;
    }

    void forward(HttpServletRequest request, HttpServletResponse response, Resolution.Script script,
            Consumer<ForwardResult> whenDone) throws IOException {
        long length = request.getContentLengthLong();
        if (length > config.maxBody()) {
            response.setHeader("Connection", "close");
            ErrorPages.send(response, 413, config.retryAfter());
            whenDone.accept(new ForwardResult(413, 0, 0, -1, ForwardResult.Outcome.FAILED, null, null));
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0);
        AsyncCompletion completion = new AsyncCompletion(async, request, whenDone);
        ServletResponseSink sink = new ServletResponseSink(response, requestLine(request), config.retryAfter(),
                completion);
        async.addListener(new ContainerEnds(sink));
        if (length >= 0 || request.getHeader("Transfer-Encoding") == null) {
            RequestBody body = length > 0 ? knownLength(request, length) : RequestBody.empty();
            send(request, script, body, sink);
            return;
        }
        new BodySpool(request.getInputStream(), config.bodyMemory(), config.maxBody(), outcome -> {
            if (outcome instanceof BodySpool.Outcome.Complete complete) {
                completion.onEnd(complete::release);
                send(request, script, complete.body(), sink);
            } else {
                sink.endEarly(outcome instanceof BodySpool.Outcome.TooLarge ? 413 : 0);
            }
        });
    }

    private void send(HttpServletRequest request, Resolution.Script script, RequestBody body, ServletResponseSink sink) {
        sink.bytesIn(body.length());
        FastCgiRequest fastCgi = FastCgiRequest.get(script.file().toString())
                .withBody(request.getContentType(), body)
                .withMethod(request.getMethod())
                .withParams(environment.params(request, script, body.length()))
                .withParamCharset(StandardCharsets.ISO_8859_1)
                .withKeepConn(config.keepAlive());
        client.send(fastCgi, sink);
    }

    /** The servlet input stream as a body the client pulls from without blocking; it can be read once. */
    private static RequestBody knownLength(HttpServletRequest request, long length) throws IOException {
        return RequestBody.once(length, new ServletBodyReader(request.getInputStream()));
    }

    private static String requestLine(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getMethod() + " " + request.getRequestURI() + (query == null ? "" : "?" + query);
    }

    /** When the container ends the request first (client gone, error, timeout), the call is cancelled. */
    private record ContainerEnds(ServletResponseSink sink) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            sink.clientGone(new IOException("the container completed the request"));
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            sink.clientGone(new IOException("the container timed the request out"));
        }

        @Override
        public void onError(AsyncEvent event) {
            sink.clientGone(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
