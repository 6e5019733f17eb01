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
import java.util.Locale;
import java.util.Set;

/**
 * Writes a streamed FastCGI response to a servlet response in non-blocking mode: status and
 * headers (hop-by-hop ones dropped, each {@code Set-Cookie} kept), then body chunks while the
 * container can take them; when it cannot, the FastCGI call pauses until {@code onWritePossible}.
 *
 * <p>Threading: the client's I/O thread calls the sink methods, the container calls the listener
 * methods; one lock orders them.
 */
final class ServletResponseSink implements ResponseSink, WriteListener {

    private static final System.Logger LOG = System.getLogger(ServletResponseSink.class.getName());

    /** RFC 9110 section 7.6.1, and the legacy ones: they describe one connection, not the response. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade");

    /** Ends the servlet request, cleanly or by breaking the connection. */
    interface Completion {
        void complete();

        /** The response is committed and cannot turn into an error: the client must see it break off. */
        void abort();
    }

    private final HttpServletResponse response;
    private final ServletOutputStream out;
    private final String requestLine;
    private final Duration retryAfter;
    private final Completion completion;
    private FastCgiCall call;
    private byte[] pending;
    private boolean ended;
    private boolean completeWhenWritable;

    /** Installs itself as the write listener; call on a container thread after startAsync. */
    ServletResponseSink(HttpServletResponse response, String requestLine, Duration retryAfter,
            Completion completion) throws IOException {
        this.response = response;
        this.requestLine = requestLine;
        this.retryAfter = retryAfter;
        this.completion = completion;
        this.out = response.getOutputStream();
        out.setWriteListener(this);
    }

    @Override
    public synchronized void onStart(FastCgiCall started) {
        call = started;
    }

    /** Gives up on the FastCGI side: the HTTP client is gone or the container timed out. */
    void cancel() {
        FastCgiCall current;
        synchronized (this) {
            ended = true;
            current = call;
        }
        if (current != null) {
            current.cancel();
        }
    }

    @Override
    public synchronized void onHeaders(ResponseHead head) {
        if (ended) {
            return;
        }
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
        try {
            if (!out.isReady()) {
                pending = new byte[chunk.remaining()];
                chunk.get(pending);
                return false;
            }
            out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            chunk.position(chunk.limit());
            // What PHP flushed goes on at once; the container's buffer would otherwise hold it back.
            if (out.isReady()) {
                out.flush();
            }
            return out.isReady();
        } catch (IOException | IllegalStateException e) {
            clientGone(e);
            return false;
        }
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
        if (pending != null || !out.isReady()) {
            completeWhenWritable = true;
            return;
        }
        ended = true;
        completion.complete();
    }

    @Override
    public synchronized void onFailure(FastCgiException failure) {
        if (ended) {
            return;
        }
        ended = true;
        if (failure.code() == FastCgiException.Code.CANCELLED) {
            completion.complete();
            return;
        }
        int status = ErrorPages.statusFor(failure);
        LOG.log(System.Logger.Level.ERROR, "FCGI-0302 {0}: {1} ({2} {3}): {4}", requestLine, status,
                failure.getCode(), failure.code(), failure.getMessage());
        if (response.isCommitted()) {
            completion.abort();
            return;
        }
        try {
            response.reset();
            ErrorPages.send(response, status, retryAfter);
        } catch (IOException | IllegalStateException e) {
            completion.abort();
            return;
        }
        completion.complete();
    }

    @Override
    public void onWritePossible() {
        FastCgiCall resume;
        synchronized (this) {
            try {
                if (pending != null) {
                    out.write(pending);
                    pending = null;
                    if (out.isReady()) {
                        out.flush();
                    }
                    if (!out.isReady()) {
                        return;
                    }
                }
            } catch (IOException | IllegalStateException e) {
                clientGone(e);
                return;
            }
            if (completeWhenWritable) {
                completeWhenWritable = false;
                ended = true;
                completion.complete();
                return;
            }
            resume = ended ? null : call;
        }
        if (resume != null) {
            resume.resume();
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            if (ended) {
                return;
            }
        }
        clientGone(t);
    }

    /** The HTTP client went away: cancelling closes the FastCGI connection, which frees the worker. */
    private void clientGone(Throwable why) {
        LOG.log(System.Logger.Level.DEBUG, "FCGI-0303 {0}: the HTTP client went away: {1}", requestLine, why.toString());
        cancel();
        completion.complete();
    }
}
