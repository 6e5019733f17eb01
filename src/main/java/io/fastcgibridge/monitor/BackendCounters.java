package io.fastcgibridge.monitor;

import io.fastcgibridge.client.FastCgiAddress;
import io.fastcgibridge.client.FastCgiException;
import io.fastcgibridge.servlet.ForwardResult;
import io.fastcgibridge.servlet.RequestOutcome;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one servlet counted about one backend since it started: requests by outcome and status
 * class with their time, time to first byte, body bytes, failures by code. Adders, so that I/O
 * threads count without contending; every figure only grows.
 */
public final class BackendCounters {

    /** The outcomes a forwarded request can have. */
    public static final List<RequestOutcome> OUTCOMES = List.of(
            RequestOutcome.COMPLETED, RequestOutcome.FAILED, RequestOutcome.ABORTED);

    private static final int CLASSES = StatusClass.values().length;
    private static final FastCgiException.Code[] CODES = FastCgiException.Code.values();

    private final FastCgiAddress backend;
    private final LongAdder[] requests = adders(RequestOutcome.values().length * CLASSES);
    private final LongAdder[] requestNanos = adders(RequestOutcome.values().length * CLASSES);
    private final LongAdder firstBytes = new LongAdder();
    private final LongAdder firstByteNanos = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder[] failures = adders(CODES.length);

    BackendCounters(FastCgiAddress backend) {
        this.backend = backend;
    }

    public FastCgiAddress backend() {
        return backend;
    }

    void forwarded(ForwardResult result, long nanos) {
        int slot = slot(result.outcome(), StatusClass.of(result.status()));
        requests[slot].increment();
        requestNanos[slot].add(nanos);
        if (result.timeToFirstByteNanos() >= 0) {
            firstBytes.increment();
            firstByteNanos.add(result.timeToFirstByteNanos());
        }
        if (result.bytesIn() > 0) {
            bytesIn.add(result.bytesIn());
        }
        if (result.bytesOut() > 0) {
            bytesOut.add(result.bytesOut());
        }
    }

    void failed(FastCgiException.Code code) {
        failures[code.ordinal()].increment();
    }

    /** Requests that ended with this outcome and a status of this class. */
    public long requests(RequestOutcome outcome, StatusClass status) {
        return requests[slot(outcome, status)].sum();
    }

    /** Their summed time, from the start of forwarding to the end of the response, in {@code unit}. */
    public double requestTime(RequestOutcome outcome, StatusClass status, TimeUnit unit) {
        return (double) requestNanos[slot(outcome, status)].sum() / unit.toNanos(1);
    }

    /** Requests whose response headers came, with their time to first byte. */
    public long firstBytes() {
        return firstBytes.sum();
    }

    public double firstByteTime(TimeUnit unit) {
        return (double) firstByteNanos.sum() / unit.toNanos(1);
    }

    /** Request body bytes sent on to PHP-FPM. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Response body bytes written to clients. */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Requests that failed with this code. */
    public long failures(FastCgiException.Code code) {
        return failures[code.ordinal()].sum();
    }

    /** Requests of any status class that ended with {@code outcome}. */
    public long requests(RequestOutcome outcome) {
        long sum = 0;
        for (StatusClass status : StatusClass.values()) {
            sum += requests(outcome, status);
        }
        return sum;
    }

    private static int slot(RequestOutcome outcome, StatusClass status) {
        return outcome.ordinal() * CLASSES + status.ordinal();
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
