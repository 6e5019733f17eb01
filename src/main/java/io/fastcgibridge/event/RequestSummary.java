package io.fastcgibridge.event;

import io.fastcgibridge.servlet.RequestId;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;

/**
 * What logs and completion events need of a request, captured when it arrives: the container may
 * recycle the request object as soon as the response ends. {@code id} is the request's id, as PHP
 * ({@code HTTP_X_REQUEST_ID}), the access log and the bridge's log lines have it ({@code RequestId}).
 */
public record RequestSummary(String method, String uri, String protocol, String remoteAddress, String remoteUser,
        String referer, String userAgent, Instant received, String id) {

    /** What {@code request} is now; call before the container may recycle it. */
    public static RequestSummary of(HttpServletRequest request) {
        String query = request.getQueryString();
        return new RequestSummary(request.getMethod(),
                request.getRequestURI() + (query == null ? "" : "?" + query), request.getProtocol(),
                request.getRemoteAddr(), request.getRemoteUser(), request.getHeader("Referer"),
                request.getHeader("User-Agent"), Instant.now(), RequestId.of(request));
    }
}
