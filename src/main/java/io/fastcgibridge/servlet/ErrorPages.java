package io.fastcgibridge.servlet;

import io.fastcgibridge.client.FastCgiException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The bridge's own error answers: a status, a one-line body that says nothing about the backend,
 * and {@code Retry-After} on 503. Internals go to the log, never to the client.
 */
final class ErrorPages {

    /**
     * Logged for a client that went away before any response was sent: nginx's convention, so that
     * such lines are not counted as answers the client saw. Never sent.
     */
    static final int CLIENT_CLOSED = 499;

    private ErrorPages() {
    }

    /**
     * The answer to a request body that broke off: 408 when the client stopped sending, 499 when
     * its connection was reset (nobody is left to answer), otherwise 400, which covers a body that
     * ended before its Content-Length (the client half-closed and may still read) and a malformed
     * chunked body.
     */
    static int forBrokenBody(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof SocketTimeoutException) {
            return 408;
        }
        if (root instanceof EOFException) {
            return 400;
        }
        // A reset or broken pipe comes as a plain IOException (NIO) or a SocketException.
        return root.getClass() == IOException.class || root instanceof SocketException ? CLIENT_CLOSED : 400;
    }

    /** The HTTP status a FastCGI failure becomes. */
    static int statusFor(FastCgiException failure) {
        return switch (failure.code()) {
            case POOL_EXHAUSTED, OVERLOADED, CLIENT_CLOSED -> 503;
            case READ_TIMEOUT, WRITE_TIMEOUT, REQUEST_TIMEOUT, CONNECT_TIMEOUT -> 504;
            case REQUEST_TOO_LARGE -> 431;
            default -> 502;
        };
    }

    /** Writes a complete error response, the response not being committed; returns the body's length. */
    static int send(HttpServletResponse response, int status, Duration retryAfter) throws IOException {
        return send(response, status, retryAfter, Integer.MAX_VALUE);
    }

    /**
     * Writes an error response framed as a failed commit of another one was: Tomcat keeps the
     * output filter it chose then (chunked without a Content-Length, else identity up to it), so
     * this page has no Content-Length when {@code framedLength} is negative and is cut to it
     * otherwise. Returns the body's length.
     */
    static int send(HttpServletResponse response, int status, Duration retryAfter, long framedLength)
            throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        if (status == 503) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        byte[] body = (status + " " + phrase(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        if (framedLength >= 0) {
            body = Arrays.copyOf(body, (int) Math.min(body.length, framedLength));
            response.setContentLength(body.length);
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write(body);
        return body.length;
    }

    static String phrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 408 -> "Request Timeout";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }
}
