package io.fastcgibridge.servlet;

import io.fastcgibridge.client.FastCgiException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The bridge's own error answers: a status, a one-line body that says nothing about the backend,
 * and {@code Retry-After} on 503. Internals go to the log, never to the client.
 */
final class ErrorPages {

    private ErrorPages() {
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
        response.resetBuffer();
        response.setStatus(status);
        if (status == 503) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        byte[] body = (status + " " + phrase(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return body.length;
    }

    static String phrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
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
