package io.fastcgibridge.client;

/**
 * The HTTP status line and headers an application sent as CGI headers, with the {@code Status}
 * field already turned into {@link #status()} and {@link #reason()}.
 */
public record ResponseHead(int status, String reason, HttpHeaders headers) {
}
