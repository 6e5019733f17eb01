package io.fastcgibridge.event;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;

/**
 * What logs and completion events need of a request, captured when it arrives: the container may
 * recycle the request object as soon as the response ends.
 */
public record RequestSummary(String method, String uri, String protocol, String remoteAddress, String remoteUser,
        String referer, String userAgent, Instant received) {

    /** What {@code request} is now; call before the container may recycle it. */
    public static RequestSummary of(HttpServletRequest request) {
        String query = request.getQueryString();
        return new RequestSummary(request.getMethod(),
                request.getRequestURI() + (query == null ? "" : "?" + query), request.getProtocol(),
                request.getRemoteAddr(), request.getRemoteUser(), request.getHeader("Referer"),
                request.getHeader("User-Agent"), Instant.now());
    }
}
