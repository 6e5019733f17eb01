package io.fastcgibridge.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * What the client has been sent of one response: writes and flushes in non-blocking mode, counts
 * the body bytes, knows whether the headers went out, and replaces the response with the bridge's
 * own page while it still can. Not thread-safe: its owner's lock guards every call.
 */
final class ResponseOutput {

    private final HttpServletResponse response;
    private final ServletOutputStream out;
    private final ServletOutput body;
    private final Duration retryAfter;
    private final ResponseCoding coding;
    private boolean headersSent;
    /** The Content-Length set on the response: PHP's, or the one {@link #finish()} sets; -1 when none. */
    private long announcedLength = -1;
    private long bytesOut;

    ResponseOutput(HttpServletResponse response, Duration retryAfter, ResponseCoding coding) throws IOException {
        this.response = response;
        this.retryAfter = retryAfter;
        this.coding = coding;
        this.out = response.getOutputStream();
        this.body = new ServletOutput(out);
    }

    /** Call on a container thread after startAsync. */
    void listen(WriteListener listener) {
        out.setWriteListener(listener);
    }

    boolean isReady() {
        return out.isReady();
    }

    /**
     * PHP's headers are on the response, with this Content-Length (-1 for none); {@code unbuffered}
     * is its {@code X-Accel-Buffering: no}. Compression is decided here.
     */
    void announced(long length, boolean unbuffered) {
        announcedLength = coding.headers(response, length, unbuffered);
    }

    /** Body bytes handed to the container that the client gets unless the connection breaks. */
    long bytesOut() {
        return bytesOut;
    }

    /** Whether the client may have the status line already. */
    boolean headersSent() {
        return headersSent;
    }

    /** The client went away before the headers: what the container buffered never reached it. */
    void nothingSent() {
        bytesOut = 0;
    }

    /** Writes all of {@code chunk} (compressed, when it is); the container must be ready. */
    void write(ByteBuffer chunk) throws IOException {
        writeCoded(coding.encode(chunk));
    }

    /** Flushes when the container is ready (a sync flush when compressing); returns whether it still is. */
    boolean flushIfReady() throws IOException {
        if (out.isReady() && !coding.undecided()) {
            writeCoded(coding.flush());
            if (out.isReady()) {
                out.flush();
            }
            noteCommitted();
        }
        return out.isReady();
    }

    /** Whether writes compress (or hold bytes to decide): CPU work, kept off the FastCGI I/O threads. */
    boolean encodes() {
        return coding.encodes();
    }

    /** The compressor's native memory back, whatever ended the response. */
    void release() {
        coding.close();
    }

    private void writeCoded(ByteBuffer coded) throws IOException {
        if (coded.hasRemaining()) {
            bytesOut += coded.remaining();
            body.write(coded);
            noteCommitted();
        }
    }

    /**
     * The response is whole and the container ready. A response not sent yet goes out now, with
     * its Content-Length as the container would set it, rather than inside the container's
     * completion: a client that went away, or headers the container refuses, are then found out
     * while the outcome can still say so.
     */
    void finish() throws IOException {
        writeCoded(coding.finish());
        if (!headersSent) {
            if (announcedLength < 0) {
                announcedLength = bytesOut;
                response.setContentLengthLong(bytesOut);
            }
            out.flush();
            noteCommitted();
        }
    }

    /** Replaces whatever was buffered with the bridge's page and sends it at once; false when that failed. */
    boolean sendErrorPage(int status) {
        try {
            coding.close();
            response.reset();
            bytesOut = ErrorPages.send(response, status, retryAfter);
            out.flush();
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * Sends a 502 after the container refused the headers when committing them, framed as that
     * attempt was (see {@link ErrorPages#send(HttpServletResponse, int, Duration, long)}); false
     * when the response can no longer be replaced: Tomcat counts one whose Content-Length is all
     * written as committed.
     */
    boolean sendRefusalPage() {
        try {
            coding.close();
            response.reset();
            bytesOut = ErrorPages.send(response, 502, retryAfter, announcedLength);
            out.flush();
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * After each write or flush: whether the headers went out. Read then, because later the
     * container's own error handling (Tomcat's sendError after a broken request body) makes
     * {@code isCommitted()} true although the client got nothing of ours.
     */
    private void noteCommitted() {
        if (!headersSent) {
            try {
                headersSent = response.isCommitted();
            } catch (IllegalStateException e) {
                headersSent = true;
            }
        }
    }
}
