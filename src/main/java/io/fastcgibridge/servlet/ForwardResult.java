package io.fastcgibridge.servlet;

import io.fastcgibridge.client.FastCgiAddress;
import io.fastcgibridge.client.FastCgiException;

/**
 * How a request forwarded to PHP-FPM ended, for logs and events.
 *
 * @param status the HTTP status the client got; {@code 499} (nginx's convention) when it went away
 *     before any answer
 * @param bytesIn request body bytes read from the client
 * @param bytesOut response body bytes written to the client; 0 when it got no answer
 * @param timeToFirstByteNanos from the start of forwarding to PHP's headers; -1 when none came
 * @param outcome how it ended
 * @param failure why it failed, or {@code null}
 * @param backend the backend that answered or failed, or {@code null} when none was reached
 */
public record ForwardResult(int status, long bytesIn, long bytesOut, long timeToFirstByteNanos, RequestOutcome outcome,
        FastCgiException failure, FastCgiAddress backend) {

}
