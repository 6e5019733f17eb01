package io.fastcgibridge.event;

import io.fastcgibridge.servlet.RequestOutcome;
import java.time.Duration;

/**
 * A request is over, once per request whatever happened, with what the client actually got. Fired
 * once the response is complete, on the bridge's event threads (never a FastCGI I/O thread), with a
 * request context active.
 *
 * @param request the request as it arrived
 * @param servletName the servlet that served it
 * @param status the status the client got; 499 when it went away before any answer
 * @param bytesIn request body bytes, -1 when unknown
 * @param bytesOut response body bytes, -1 when unknown (an observer wrote without a Content-Length)
 * @param duration from arrival to the end of the response
 * @param timeToFirstByte until PHP's headers came; {@code null} when the request was not forwarded or none came
 * @param outcome how it ended
 */
public record RequestCompletedEvent(RequestSummary request, String servletName, int status, long bytesIn,
        long bytesOut, Duration duration, Duration timeToFirstByte, RequestOutcome outcome) {
}
