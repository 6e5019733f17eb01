package io.fastcgibridge.servlet;

import io.fastcgibridge.client.FastCgiCall;
import io.fastcgibridge.client.FastCgiException;
import io.fastcgibridge.client.ResponseHead;
import io.fastcgibridge.client.ResponseSink;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Writes a streamed FastCGI response to a servlet response in non-blocking mode: status and
 * headers, then body chunks while the container can take them. What the client is not ready for
 * goes to a {@link ResponseSpool} (memory, then a temporary file), so the PHP worker is freed when
 * PHP is done; only past the spool's limits is the FastCGI call paused until the client catches up.
 * Counts what the client was sent, and reports the status it saw, for the {@link ForwardResult}.
 *
 * <p>Threading: the client's I/O thread calls the sink methods, the container calls the listener
 * methods, the spool's disk threads call {@link #readable()}; one lock orders them. Spooled bytes
 * are written by one drainer at a time, which reads the file without holding the lock.
 */
final class ServletResponseSink implements ResponseSink, WriteListener, ResponseSpool.Listener {

    private static final System.Logger LOG = System.getLogger(ServletResponseSink.class.getName());

    /** The most bytes read from the spool file per write to the container. */
    private static final int FILE_READ = 64 * 1024;

    private final HttpServletResponse response;
    private final ResponseOutput output;
    private final String requestLine;
    private final AsyncCompletion completion;
    private final ResponseSpool spool;
    private final ResponseRules rules;
    /** The file sent instead of PHP's body, once PHP named one; it then owns the response. */
    private volatile RedirectedFile redirected;
    private final long start = System.nanoTime();
    private FastCgiCall call;
    private boolean paused;
    private boolean draining;
    private boolean drainAgain;
    private boolean ended;
    private boolean completeWhenWritable;
    private int status = 200;
    private long timeToFirstByte = -1;
    private long bytesIn;

    /** Installs itself as the write listener; call on a container thread after startAsync. */
    ServletResponseSink(HttpServletResponse response, String requestLine, BridgeConfig config, SpoolFiles files,
            AsyncCompletion completion, ResponseRules rules) throws IOException {
        this.response = response;
        this.requestLine = requestLine;
        this.completion = completion;
        this.rules = rules;
        this.spool = new ResponseSpool(config.responseBuffer(), config.responseBufferMax(), files, this);
        this.output = new ResponseOutput(response, config.retryAfter(), rules.coding());
        output.listen(this);
    }

    synchronized void bytesIn(long count) {
        bytesIn = count;
    }

    @Override
    public synchronized void onStart(FastCgiCall started) {
        call = started;
    }

    /** The HTTP client went away or the container gave up: the FastCGI call is cancelled. */
    void clientGone(String why) {
        RedirectedFile file = redirected;
        if (file != null) {
            file.gone(why);
            return;
        }
        FastCgiCall current;
        synchronized (this) {
            if (ended) {
                return;
            }
            LOG.log(System.Logger.Level.DEBUG, "FCGI-0303 {0}: the HTTP client went away: {1}", requestLine, why);
            if (!output.headersSent()) {
                status = ErrorPages.CLIENT_CLOSED;
                output.nothingSent();
            }
            current = call;
            end(RequestOutcome.ABORTED, null, false);
        }
        // Cancelling closes the FastCGI connection, which frees the PHP worker.
        if (current != null) {
            current.cancel();
        }
    }

    /**
     * Ends the request with the bridge's own answer, PHP's being unwanted (body refused or broken
     * off): the page goes out at once, since the container may close the connection right after
     * a read error. {@link ErrorPages#CLIENT_CLOSED} sends nothing. Any FastCGI call is cancelled.
     */
    void refuse(int errorStatus) {
        FastCgiCall current;
        synchronized (this) {
            if (ended) {
                return;
            }
            current = call;
            if (output.headersSent()) {
                end(RequestOutcome.FAILED, null, true);
            } else if (errorStatus == ErrorPages.CLIENT_CLOSED) {
                status = errorStatus;
                output.nothingSent();
                end(RequestOutcome.ABORTED, null, false);
            } else {
                status = errorStatus;
                output.sendErrorPage(errorStatus);
                end(RequestOutcome.FAILED, null, false);
            }
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
        timeToFirstByte = System.nanoTime() - start;
        RedirectTargets.Instruction sendInstead = RedirectTargets.Instruction.in(head);
        if (sendInstead != null) {
            sendFileInstead(sendInstead, head);
            return;
        }
        status = head.status();
        int headerBytes = ResponseHeaders.copy(head, response, requestLine);
        output.announced(ResponseHeaders.contentLength(head), ResponseHeaders.unbuffered(head));
        if (headerBytes >= ResponseHeaders.PROBE_AT) {
            // Sent now, so that a container refusing them is found out while a 502 can still replace them.
            try {
                output.flushIfReady();
            } catch (IOException | IllegalStateException e) {
                writeFailed(e);
            }
        }
    }

    /**
     * With the lock, on the I/O thread: PHP named a file to send instead of its body. The file is
     * sent from container threads; the FastCGI call is cancelled, which frees the PHP worker.
     */
    private void sendFileInstead(RedirectTargets.Instruction instruction, ResponseHead head) {
        FastCgiCall current = call;
        ForwardResult soFar = new ForwardResult(200, bytesIn, 0, timeToFirstByte, RequestOutcome.COMPLETED, null,
                current == null ? null : current.backend());
        ended = true;
        spool.close();
        output.release();
        // Routed before it starts: its first write may find the container busy, and the callback
        // that follows must reach it.
        RedirectedFile file = rules.files().sender(instruction, head, completion, soFar);
        redirected = file;
        file.start();
        if (current != null) {
            current.cancel();
        }
    }

    @Override
    public synchronized boolean onBody(ByteBuffer chunk) {
        if (ended) {
            return true;
        }
        boolean encodes = output.encodes();
        try {
            if (!encodes && !draining && spool.isEmpty() && output.isReady()) {
                output.write(chunk);
                return true;
            }
        } catch (IOException | IllegalStateException e) {
            writeFailed(e);
            return true;
        }
        paused = !spool.add(chunk);
        if (encodes) {
            // Deflating is CPU work: a container thread writes these bytes, never a FastCGI I/O thread.
            completion.execute(this::drain);
        }
        return !paused;
    }

    /**
     * What PHP sent so far goes on at once, since more may be long in coming (PHP's flush()); a
     * response that ends within the same read is not flushed early, so the container can send it
     * whole, with a Content-Length.
     */
    @Override
    public synchronized void onBatchEnd() {
        if (ended || draining || !spool.isEmpty()) {
            return;
        }
        try {
            output.flushIfReady();
        } catch (IOException | IllegalStateException e) {
            writeFailed(e);
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
        if (draining || !spool.isEmpty() || !output.isReady()) {
            completeWhenWritable = true;
            spool.producerDone();
            return;
        }
        complete();
    }

    @Override
    public synchronized void onFailure(FastCgiException failure) {
        if (ended) {
            return;
        }
        if (failure.code() == FastCgiException.Code.CANCELLED) {
            end(RequestOutcome.ABORTED, failure, false);
            return;
        }
        boolean clientsBody = failure.getCause() instanceof ServletBodyReader.BrokenBody;
        int errorStatus = clientsBody ? ErrorPages.forBrokenBody(failure.getCause().getCause())
                : ErrorPages.statusFor(failure);
        LOG.log(System.Logger.Level.ERROR, "FCGI-0302 {0}: {1} ({2} {3}): {4}", requestLine, errorStatus,
                failure.getCode(), failure.code(), failure.getMessage());
        if (output.headersSent()) {
            end(RequestOutcome.FAILED, failure, true);
            return;
        }
        status = errorStatus;
        boolean sent = output.sendErrorPage(errorStatus);
        // A body broken off is the client's doing: the container answers it itself (Tomcat's 400)
        // when our page cannot go, or closes the connection, as nginx does in that case.
        end(RequestOutcome.FAILED, failure, !sent && !clientsBody);
    }

    @Override
    public void onWritePossible() {
        RedirectedFile file = redirected;
        if (file != null) {
            file.onWritePossible();
            return;
        }
        drain();
    }

    @Override
    public void onError(Throwable t) {
        clientGone(String.valueOf(t));
    }

    @Override
    public void readable() {
        drain();
    }

    @Override
    public void roomAgain() {
        FastCgiCall resume;
        synchronized (this) {
            resume = paused && !ended ? call : null;
            paused = false;
        }
        if (resume != null) {
            resume.resume();
        }
    }

    @Override
    public void diskFailed(Exception cause) {
        LOG.log(System.Logger.Level.WARNING, "FCGI-0311 {0}: cannot spool the response to a temporary file,"
                + " so PHP waits for the client instead (check the temporary folder''s space): {1}", requestLine,
                String.valueOf(cause));
    }

    /**
     * Writes spooled bytes while the container takes them; ends the request once all is out and
     * PHP is done. One drainer at a time; a call while one runs makes it look again.
     */
    private void drain() {
        synchronized (this) {
            if (ended || draining) {
                drainAgain = true;
                return;
            }
            draining = true;
        }
        boolean wrote = false;
        // Taken only while a drain reads the file: a slow client holds no buffer between writes.
        ByteBuffer[] fileBuffer = new ByteBuffer[1];
        Supplier<ByteBuffer> fileBuffers = () -> fileBuffer[0] != null ? fileBuffer[0]
                : (fileBuffer[0] = ByteBuffer.allocate(FILE_READ));
        while (true) {
            synchronized (this) {
                drainAgain = false;
                if (!drainable(wrote)) {
                    draining = false;
                    return;
                }
            }
            ByteBuffer next;
            try {
                next = spool.take(fileBuffers);
            } catch (IOException e) {
                spoolUnreadable(e);
                return;
            }
            synchronized (this) {
                if (ended || (next == null && !drainAgain)) {
                    draining = false;
                    return;
                }
                if (next != null && !write(next)) {
                    draining = false;
                    return;
                }
                wrote |= next != null;
            }
        }
    }

    /**
     * With the lock: whether the drainer goes on. When the spool is empty it flushes what it
     * wrote and completes the request if PHP is done; when the container is not ready, it will
     * call {@code onWritePossible}.
     */
    private boolean drainable(boolean wrote) {
        if (ended) {
            return false;
        }
        try {
            if (!output.isReady()) {
                return false;
            }
            if (!spool.isEmpty()) {
                return true;
            }
            // Flushing with nothing written would commit the response before PHP's headers.
            if (wrote && !output.flushIfReady()) {
                return false;
            }
        } catch (IOException | IllegalStateException e) {
            writeFailed(e);
            return false;
        }
        if (completeWhenWritable) {
            completeWhenWritable = false;
            complete();
        }
        return false;
    }

    /** With the lock: writes a whole piece from the spool; false when the request ended instead. */
    private boolean write(ByteBuffer next) {
        try {
            output.write(next);
            return true;
        } catch (IOException | IllegalStateException e) {
            writeFailed(e);
            return false;
        }
    }

    private void spoolUnreadable(IOException e) {
        synchronized (this) {
            draining = false;
            if (ended) {
                return;
            }
            LOG.log(System.Logger.Level.ERROR, "FCGI-0312 {0}: the spooled response could not be read back,"
                    + " breaking it off: {1}", requestLine, String.valueOf(e));
        }
        refuse(500);
    }

    /** With the lock, the container ready: the response is whole. */
    private void complete() {
        try {
            output.finish();
        } catch (IOException | IllegalStateException e) {
            writeFailed(e);
            return;
        }
        end(RequestOutcome.COMPLETED, null, false);
    }

    /**
     * With the lock: a write or flush failed. Usually the client went away; but a container that
     * cannot take PHP's headers (Tomcat's maxHttpResponseHeaderSize) throws on the write that
     * commits, and then the client is still there and gets a 502.
     */
    private void writeFailed(Exception e) {
        if (!ResponseHeaders.tooLargeForContainer(e) || output.headersSent()) {
            clientGone(String.valueOf(e));
            return;
        }
        LOG.log(System.Logger.Level.ERROR, "FCGI-0310 {0}: 502: the container refused PHP''s response headers"
                + " as too large (raise its limit, Tomcat''s maxHttpResponseHeaderSize): {1}", requestLine,
                String.valueOf(e));
        FastCgiCall current = call;
        status = 502;
        end(RequestOutcome.FAILED, null, !output.sendRefusalPage());
        if (current != null) {
            current.cancel();
        }
    }

    private void end(RequestOutcome outcome, FastCgiException failure, boolean breakOff) {
        ended = true;
        spool.close();
        output.release();
        completion.finish(new ForwardResult(status, bytesIn, output.bytesOut(), timeToFirstByte, outcome, failure,
                call == null ? null : call.backend()), breakOff);
    }
}
