package io.fastcgibridge.launcher.gate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The answers the gate gives itself, to a request head it will not pass on; each closes the connection. */
enum Refusal {
    HEADER_TIMEOUT(408, "Request Timeout", "The request head did not arrive in time."),
    URI_TOO_LONG(414, "URI Too Long", "The request line is longer than this server accepts."),
    HEAD_TOO_LARGE(431, "Request Header Fields Too Large", "The request headers are larger than this server accepts."),
    BUSY(503, "Service Unavailable", "The server is too busy to take this request; try again later.");

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final int status;
    private final String reason;
    private final String body;

    Refusal(int status, String reason, String body) {
        this.status = status;
        this.reason = reason;
        this.body = body + "\n";
    }

    int status() {
        return status;
    }

    /** The whole response, dated {@code now}. */
    ByteBuffer response(ZonedDateTime now) {
        String response = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Date: " + HTTP_DATE.format(now) + "\r\n"
                + "Server: fastcgi-bridge\r\n"
                + (this == BUSY ? "Retry-After: 5\r\n" : "")
                + "Content-Type: text/plain;charset=UTF-8\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body;
        return ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII));
    }

    static Refusal fromTooLarge(HeadScanner scanner) {
        return scanner.inRequestLine() ? URI_TOO_LONG : HEAD_TOO_LARGE;
    }

    static ZonedDateTime utcNow() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }
}
