package io.fastcgibridge.servlet;

import io.fastcgibridge.client.FastCgiCall;
import io.fastcgibridge.client.FastCgiException;
import io.fastcgibridge.client.HttpHeaders;
import io.fastcgibridge.client.ResponseHead;
import io.fastcgibridge.client.ResponseSink;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a streamed FastCGI response to a servlet response in non-blocking mode: status and
 * headers (hop-by-hop ones dropped, each {@code Set-Cookie} kept), then body chunks while the
 * container can take them; when it cannot, the FastCGI call pauses until {@code onWritePossible}.
 * Counts what it sends, for the {@link ForwardResult}.
 *
 * <p>Threading: the client's I/O thread calls the sink methods, the container calls the listener
 * methods; one lock orders them.
 */
final class ServletResponseSink implements ResponseSink, WriteListener {

    private static final System.Logger LOG = System.getLogger(ServletResponseSink.class.getName());

    /** The most body bytes one response holds while the client is slower than PHP. */
    static final int BUFFER_LIMIT = 1 << 20;

    /** RFC 9110 section 7.6.1, and the legacy ones: they describe one connection, not the response. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade");

    private final HttpServletResponse response;
    private final ServletOutputStream out;
    private final ServletOutput body;
    private final String requestLine;
    private final Duration retryAfter;
    private final AsyncCompletion completion;
    private final long start = System.nanoTime();
    private FastCgiCall call;
    /**
     * Body bytes the container could not take yet. Up to {@link #BUFFER_LIMIT} are accepted before
     * the FastCGI side is paused: like nginx's fastcgi_buffers, this lets a PHP worker finish a
     * response (and serve the next request) while a slow client is still reading, within a bound.
     */
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private long pendingBytes;
    private boolean paused;
    private boolean ended;
    private boolean completeWhenWritable;
    private int status = 200;
    private long timeToFirstByte = -1;
    private long bytesIn;
    private long bytesOut;

    /** Installs itself as the write listener; call on a container thread after startAsync. */
    ServletResponseSink(HttpServletResponse response, String requestLine, Duration retryAfter,
            AsyncCompletion completion) throws IOException {
        this.response = response;
        this.requestLine = requestLine;
        this.retryAfter = retryAfter;
        this.completion = completion;
        this.out = response.getOutputStream();
        this.body = new ServletOutput(out);
        out.setWriteListener(this);
    }

    synchronized void bytesIn(long count) {
        bytesIn = count;
    }

    @Override
    public synchronized void onStart(FastCgiCall started) {
        call = started;
    }

    /** The HTTP client went away or the container gave up: the FastCGI call is cancelled. */
    void clientGone(Throwable why) {
        FastCgiCall current;
        synchronized (this) {
            if (ended) {
                return;
            }
            LOG.log(System.Logger.Level.DEBUG, "FCGI-0303 {0}: the HTTP client went away: {1}", requestLine,
                    String.valueOf(why));
            current = call;
            end(ForwardResult.Outcome.ABORTED, null, false);
        }
        // Cancelling closes the FastCGI connection, which frees the PHP worker.
        if (current != null) {
            current.cancel();
        }
    }

    /** Ends the request before anything was forwarded (body refused or unreadable). */
    synchronized void endEarly(int errorStatus) {
        if (ended) {
            return;
        }
        if (errorStatus > 0) {
            status = errorStatus;
            sendErrorPage(errorStatus);
        }
        end(errorStatus > 0 ? ForwardResult.Outcome.FAILED : ForwardResult.Outcome.ABORTED, null, false);
    }

    @Override
    public synchronized void onHeaders(ResponseHead head) {
        if (ended) {
            return;
        }
        status = head.status();
        timeToFirstByte = System.nanoTime() - start;
        response.setStatus(head.status());
        for (HttpHeaders.Field field : head.headers().fields()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name)) {
                continue;
            }
            if (name.equals("content-length")) {
                try {
                    response.setContentLengthLong(Long.parseLong(field.value().trim()));
                } catch (NumberFormatException e) {
                    LOG.log(System.Logger.Level.WARNING, "FCGI-0301 {0}: ignored a bad Content-Length from PHP: {1}",
                            requestLine, field.value());
                }
            } else {
                response.addHeader(field.name(), field.value());
            }
        }
    }

    @Override
    public synchronized boolean onBody(ByteBuffer chunk) {
        if (ended) {
            return true;
        }
        bytesOut += chunk.remaining();
        try {
            if (pending.isEmpty() && out.isReady()) {
                body.write(chunk);
                return true;
            }
            byte[] copy = new byte[chunk.remaining()];
            chunk.get(copy);
            pending.addLast(copy);
            pendingBytes += copy.length;
            paused = pendingBytes >= BUFFER_LIMIT;
            return !paused;
        } catch (IOException | IllegalStateException e) {
            clientGone(e);
            return false;
        }
    }

    /**
     * What PHP sent so far goes on at once, since more may be long in coming (PHP's flush()); a
     * response that ends within the same read is not flushed early, so the container can send it
     * whole, with a Content-Length.
     */
    @Override
    public synchronized void onBatchEnd() {
        if (ended || !pending.isEmpty()) {
            return;
        }
        try {
            flushIfReady();
        } catch (IOException | IllegalStateException e) {
            clientGone(e);
        }
    }

    private boolean flushIfReady() throws IOException {
        if (out.isReady()) {
            out.flush();
        }
        return out.isReady();
    }

    @Override
    public void onStderr(String text) {
        LOG.log(System.Logger.Level.WARNING, "FCGI-0300 {0}: PHP stderr: {1}", requestLine, text.strip());
    }

    @Override
    public synchronized void onComplete(int appStatus) {
        if (ended) {
            return;
        }
        if (!pending.isEmpty() || !out.isReady()) {
            completeWhenWritable = true;
            return;
        }
        end(ForwardResult.Outcome.COMPLETED, null, false);
    }

    @Override
    public synchronized void onFailure(FastCgiException failure) {
        if (ended) {
            return;
        }
        if (failure.code() == FastCgiException.Code.CANCELLED) {
            end(ForwardResult.Outcome.ABORTED, failure, false);
            return;
        }
        int errorStatus = ErrorPages.statusFor(failure);
        LOG.log(System.Logger.Level.ERROR, "FCGI-0302 {0}: {1} ({2} {3}): {4}", requestLine, errorStatus,
                failure.getCode(), failure.code(), failure.getMessage());
        if (response.isCommitted()) {
            end(ForwardResult.Outcome.FAILED, failure, true);
            return;
        }
        status = errorStatus;
        boolean sent = sendErrorPage(errorStatus);
        end(ForwardResult.Outcome.FAILED, failure, !sent);
    }

    private boolean sendErrorPage(int errorStatus) {
        try {
            response.reset();
            bytesOut = ErrorPages.send(response, errorStatus, retryAfter);
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    @Override
    public void onWritePossible() {
        FastCgiCall resume;
        synchronized (this) {
            try {
                boolean wrote = false;
                while (!pending.isEmpty() && out.isReady()) {
                    byte[] next = pending.removeFirst();
                    pendingBytes -= next.length;
                    out.write(next);
                    wrote = true;
                }
                // Flushing with nothing written would commit the response before PHP's headers.
                if (!pending.isEmpty() || (wrote && !flushIfReady())) {
                    return;
                }
            } catch (IOException | IllegalStateException e) {
                clientGone(e);
                return;
            }
            if (completeWhenWritable) {
                completeWhenWritable = false;
                end(ForwardResult.Outcome.COMPLETED, null, false);
                return;
            }
            resume = paused && !ended ? call : null;
            paused = false;
        }
        if (resume != null) {
            resume.resume();
        }
    }

    @Override
    public void onError(Throwable t) {
        clientGone(t);
    }

    private void end(ForwardResult.Outcome outcome, FastCgiException failure, boolean breakOff) {
        ended = true;
        completion.finish(new ForwardResult(status, bytesIn, bytesOut, timeToFirstByte, outcome, failure,
                call == null ? null : call.backend()), breakOff);
    }
}
