package io.fastcgibridge.event;

import io.fastcgibridge.servlet.Worker;
import java.time.Duration;

/**
 * A request is over, once per request whatever happened: its status, bytes in and out, duration,
 * time to first byte and outcome. Fired on the thread that ended it, possibly an I/O thread:
 * observers must be quick and not rely on a request context.
 */
public final class RequestCompletedEvent {

    /** How a request ended. */
    public enum Outcome {
        /** PHP answered it completely. */
        COMPLETED,
        /** An observer answered it (a static file, a maintenance page). */
        VETOED,
        /** It failed: PHP-FPM or an observer; the client got an error status or a broken-off response. */
        FAILED,
        /** The client went away first. */
        ABORTED
    }

    private final RequestSummary request;
    private final Worker worker;
    private final int status;
    private final long bytesIn;
    private final long bytesOut;
    private final Duration duration;
    private final Duration timeToFirstByte;
    private final Outcome outcome;

    public RequestCompletedEvent(RequestSummary request, Worker worker, int status, long bytesIn, long bytesOut,
            Duration duration, Duration timeToFirstByte, Outcome outcome) {
        this.request = request;
        this.worker = worker;
        this.status = status;
        this.bytesIn = bytesIn;
        this.bytesOut = bytesOut;
        this.duration = duration;
        this.timeToFirstByte = timeToFirstByte;
        this.outcome = outcome;
    }

    public RequestSummary request() {
        return request;
    }

    public Worker worker() {
        return worker;
    }

    public int status() {
        return status;
    }

    /** Request body bytes, -1 when unknown. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Response body bytes, -1 when unknown (an observer wrote without a Content-Length). */
    public long bytesOut() {
        return bytesOut;
    }

    public Duration duration() {
        return duration;
    }

    /** Until PHP's headers came; {@code null} when the request was not forwarded or none came. */
    public Duration timeToFirstByte() {
        return timeToFirstByte;
    }

    public Outcome outcome() {
        return outcome;
    }
}
