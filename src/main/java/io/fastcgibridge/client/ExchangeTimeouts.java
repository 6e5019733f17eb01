package io.fastcgibridge.client;

import io.fastcgibridge.client.FastCgiException.Code;
import java.time.Duration;

/**
 * The clocks of one exchange: the whole request, the silence allowed while waiting for the
 * response, and the stall allowed while the backend takes no request bytes. Loop thread only.
 */
final class ExchangeTimeouts {

    private final ClientSettings settings;
    private final long readNanos;
    private final long writeNanos;
    private final long totalDeadline;
    private long readDeadline = Long.MAX_VALUE;
    private long writeDeadline = Long.MAX_VALUE;

    /** Starts the total clock now. */
    ExchangeTimeouts(ClientSettings settings) {
        this.settings = settings;
        this.readNanos = nanos(settings.readTimeout());
        this.writeNanos = nanos(settings.writeTimeout());
        long total = nanos(settings.requestTimeout());
        this.totalDeadline = total == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + total;
    }

    long totalDeadline() {
        return totalDeadline;
    }

    /** A new attempt: nothing is being read or written yet. */
    void reset() {
        readDeadline = Long.MAX_VALUE;
        writeDeadline = Long.MAX_VALUE;
    }

    /** Bytes arrived, or the request is complete and the response awaited: the silence starts over. */
    void readProgress(EventLoop loop) {
        readDeadline = deadline(readNanos, loop);
    }

    /** Whether the read clock runs, that is whether the request was completely sent. */
    boolean awaitingResponse() {
        return readDeadline != Long.MAX_VALUE;
    }

    /** The socket would not take more request bytes: the stall clock starts. */
    void writeBlocked(EventLoop loop) {
        writeDeadline = deadline(writeNanos, loop);
    }

    /** The failure due at {@code now}, or {@code null}. */
    FastCgiException due(long now, boolean reading, boolean writing, FastCgiAddress address) {
        if (now - totalDeadline >= 0) {
            return new FastCgiException(Code.REQUEST_TIMEOUT, address + " did not complete the response within "
                    + settings.requestTimeout().toMillis() + " ms (request timeout)");
        }
        if (reading && now - readDeadline >= 0) {
            return new FastCgiException(Code.READ_TIMEOUT, address + " sent nothing for "
                    + settings.readTimeout().toMillis() + " ms (read timeout): a slow or stuck script?");
        }
        if (writing && now - writeDeadline >= 0) {
            return new FastCgiException(Code.WRITE_TIMEOUT, address + " took no request bytes for "
                    + settings.writeTimeout().toMillis() + " ms (write timeout): are its workers all stuck?");
        }
        return null;
    }

    /** The next deadline of the clocks that run. */
    long next(boolean reading, boolean writing) {
        long next = totalDeadline;
        if (reading) {
            next = Math.min(next, readDeadline);
        }
        if (writing) {
            next = Math.min(next, writeDeadline);
        }
        return next;
    }

    private static long deadline(long timeoutNanos, EventLoop loop) {
        if (timeoutNanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE - 1;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        loop.wakeAt(deadline);
        return deadline;
    }

    private static long nanos(Duration timeout) {
        return timeout.isZero() || timeout.isNegative() ? Long.MAX_VALUE : timeout.toNanos();
    }
}
