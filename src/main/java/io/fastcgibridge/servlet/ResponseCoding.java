package io.fastcgibridge.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Whether one PHP response goes out gzipped, and its bytes on the way. Decided when PHP's headers
 * are in: with a Content-Length, at once; without one (most PHP output), the first
 * {@code minLength} bytes are held until there are that many (gzip), or the response ends or is
 * flushed shorter (as it is: pieces that small gain little). A server-sent-events stream is
 * compressed from its start, each flush a sync flush, since its small events share one window
 * and compress well together. Compressing sets
 * {@code Content-Encoding}, drops the Content-Length and makes a strong ETag weak, as nginx does.
 * Not thread-safe: its output's owner guards every call.
 */
final class ResponseCoding {

    private enum State { IDENTITY, HOLDING, GZIP }

    private final CompressionPolicy policy;
    private final boolean offered;
    private HttpServletResponse response;
    private State state = State.IDENTITY;
    private ByteArrayOutputStream held;
    private GzipEncoder gzip;

    private ResponseCoding(CompressionPolicy policy, boolean offered) {
        this.policy = policy;
        this.offered = offered;
    }

    /** For a request's method and {@code Accept-Encoding}. */
    static ResponseCoding forRequest(CompressionPolicy policy, String method, String acceptEncoding) {
        return new ResponseCoding(policy, policy.offered(method, acceptEncoding));
    }

    /** Bytes go out as they are. */
    static ResponseCoding identity() {
        return new ResponseCoding(CompressionPolicy.OFF, false);
    }

    /**
     * PHP's headers are on {@code response}: decides, adding {@code Vary} where the answer depends
     * on Accept-Encoding. {@code unbuffered} is PHP's {@code X-Accel-Buffering: no}. Returns the
     * Content-Length still valid: PHP's, or -1 once compression drops it.
     */
    long headers(HttpServletResponse target, long contentLength, boolean unbuffered) {
        response = target;
        if (unbuffered || !policy.candidate(target.getStatus(), target.getContentType(),
                target.getHeader("Content-Encoding"))) {
            return contentLength;
        }
        addVary(target);
        if (!offered || contentLength == 0 || (contentLength > 0 && contentLength < policy.minLength())) {
            return contentLength;
        }
        if (contentLength > 0 || isEventStream(target.getContentType())) {
            startGzip();
            return -1;
        }
        state = State.HOLDING;
        held = new ByteArrayOutputStream();
        return -1;
    }

    /** What to write now for {@code chunk} (consumed). */
    ByteBuffer encode(ByteBuffer chunk) {
        switch (state) {
            case GZIP:
                return gzip.encode(chunk);
            case HOLDING:
                hold(chunk);
                if (held.size() < policy.minLength()) {
                    return ByteBuffer.allocate(0);
                }
                startGzip();
                return gzip.encode(takeHeld());
            default:
                return chunk;
        }
    }

    /** Whether bytes are compressed, or held to decide: CPU work per byte, for a container thread. */
    boolean encodes() {
        return state != State.IDENTITY;
    }

    /** Whether nothing may go out yet, not even the headers: the decision waits for the first bytes. */
    boolean undecided() {
        return state == State.HOLDING && held.size() == 0;
    }

    /** What to write before a flush: everything so far, decodable by the client. */
    ByteBuffer flush() {
        if (undecided()) {
            return ByteBuffer.allocate(0);
        }
        if (state == State.HOLDING) {
            state = State.IDENTITY;
            return takeHeld();
        }
        return state == State.GZIP ? gzip.flush() : ByteBuffer.allocate(0);
    }

    /** What to write last. A response that ended shorter than the threshold goes as it is. */
    ByteBuffer finish() {
        if (state == State.HOLDING) {
            state = State.IDENTITY;
            return takeHeld();
        }
        if (state == State.GZIP) {
            state = State.IDENTITY;
            return gzip.finish();
        }
        return ByteBuffer.allocate(0);
    }

    /** The response was given up: frees the deflater. */
    void close() {
        if (gzip != null) {
            gzip.end();
        }
        state = State.IDENTITY;
        held = null;
    }

    private void startGzip() {
        state = State.GZIP;
        gzip = new GzipEncoder();
        response.setHeader("Content-Encoding", "gzip");
        response.setContentLengthLong(-1);
        String etag = response.getHeader("ETag");
        if (etag != null && etag.startsWith("\"")) {
            response.setHeader("ETag", "W/" + etag);
        }
    }

    private static boolean isEventStream(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
    }

    private void hold(ByteBuffer chunk) {
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        held.writeBytes(bytes);
    }

    private ByteBuffer takeHeld() {
        ByteBuffer bytes = ByteBuffer.wrap(held.toByteArray());
        held = null;
        return bytes;
    }

    /** Adds {@code Accept-Encoding} to PHP's {@code Vary} unless it is there (or {@code *}). */
    static void addVary(HttpServletResponse response) {
        for (String vary : response.getHeaders("Vary")) {
            for (String name : vary.split(",")) {
                String token = name.strip();
                if (token.equals("*") || token.equalsIgnoreCase("Accept-Encoding")) {
                    return;
                }
            }
        }
        response.addHeader("Vary", "Accept-Encoding");
    }
}
