package io.fastcgibridge.client;

import io.fastcgibridge.protocol.ProtocolStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A whole response, buffered: status and reason, headers, body, what the application wrote to
 * stderr, its exit status and the FastCGI protocol status.
 */
public record FastCgiResponse(
        ResponseHead head, byte[] body, String stderr, int appStatus, ProtocolStatus protocolStatus) {

    /** The HTTP status code: from {@code Status:}, 302 for a bare {@code Location:}, else 200. */
    public int status() {
        return head.status();
    }

    /** The reason phrase. */
    public String reason() {
        return head.reason();
    }

    /** Every header except {@code Status}. */
    public HttpHeaders headers() {
        return head.headers();
    }

    /** Each {@code Set-Cookie} line, in order. */
    public List<String> cookies() {
        return head.headers().all("Set-Cookie");
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
