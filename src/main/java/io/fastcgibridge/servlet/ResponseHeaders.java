package io.fastcgibridge.servlet;

import io.fastcgibridge.client.HttpHeaders;
import io.fastcgibridge.client.ResponseHead;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Set;

/**
 * PHP's status and headers onto a servlet response: hop-by-hop ones dropped, each
 * {@code Set-Cookie} kept, a Content-Length passed as the container's own; and how a container
 * says that they are too large for it.
 */
final class ResponseHeaders {

    private static final System.Logger LOG = System.getLogger(ResponseHeaders.class.getName());

    /** RFC 9110 section 7.6.1, and the legacy ones: they describe one connection, not the response. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade");

    /**
     * PHP header blocks this large are sent ahead of the body. Containers by default take 8 KiB
     * (Tomcat's maxHttpResponseHeaderSize, Jetty's responseHeaderSize), and a container that
     * refuses headers does so when it commits them: if that happens at the end of the response,
     * inside the container, the client gets an empty reply, and once the body is all written the
     * Servlet API no longer allows replacing it with a 502. Smaller blocks go with the body, so
     * that a short response still gets its Content-Length.
     */
    static final int PROBE_AT = 4 * 1024;

    /**
     * Instructions from PHP to the front server, never sent to the client: {@code X-Accel-Buffering}
     * (nginx) and the internal redirects {@code X-Accel-Redirect} and {@code X-Sendfile}.
     */
    private static final Set<String> FOR_THE_FRONT = Set.of("x-accel-buffering", "x-accel-redirect", "x-sendfile");

    /** Tomcat's exception for headers past {@code maxHttpResponseHeaderSize}, an {@code IllegalStateException}. */
    private static final String TOMCAT_TOO_LARGE = "org.apache.coyote.http11.HeadersTooLargeException";

    private ResponseHeaders() {
    }

    /** Sets the status and headers; returns their size as a header block (names, values, separators). */
    static int copy(ResponseHead head, HttpServletResponse response, String requestLine) {
        int size = 0;
        response.setStatus(head.status());
        for (HttpHeaders.Field field : head.headers().fields()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || FOR_THE_FRONT.contains(name)) {
                continue;
            }
            size += field.name().length() + field.value().length() + 4;
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
        return size;
    }

    /** What describes PHP's own body, not the file sent in its place. */
    private static final Set<String> OF_PHPS_BODY = Set.of("status", "content-length", "content-encoding",
            "content-range", "accept-ranges", "etag", "last-modified", "location");

    /**
     * PHP's headers for a file sent in place of its body: {@code Content-Type},
     * {@code Content-Disposition}, cookies, caching and the rest are kept; what describes PHP's
     * body is not (the file's own validators and length are set).
     */
    static void copyForFile(ResponseHead head, HttpServletResponse response) {
        for (HttpHeaders.Field field : head.headers().fields()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            if (name.equals("content-type")) {
                response.setContentType(field.value());
            } else if (!HOP_BY_HOP.contains(name) && !FOR_THE_FRONT.contains(name) && !OF_PHPS_BODY.contains(name)) {
                response.addHeader(field.name(), field.value());
            }
        }
    }

    /** PHP's Content-Length, or -1 when it gave none that parses. */
    static long contentLength(ResponseHead head) {
        for (HttpHeaders.Field field : head.headers().fields()) {
            if (field.name().equalsIgnoreCase("content-length")) {
                try {
                    return Long.parseLong(field.value().trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** Whether PHP said {@code X-Accel-Buffering: no}: this response is streamed as it is, uncompressed. */
    static boolean unbuffered(ResponseHead head) {
        return head.headers().first("X-Accel-Buffering").map(value -> value.strip().equalsIgnoreCase("no"))
                .orElse(false);
    }

    /** Whether a write or flush failed because the container cannot send headers that large. */
    static boolean tooLargeForContainer(Throwable failure) {
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(TOMCAT_TOO_LARGE)) {
                return true;
            }
        }
        return false;
    }
}
