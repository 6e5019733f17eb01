package io.fastcgibridge.servlet;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Says that a client's {@code X-Request-Id} was replaced: the first time, then at most once a
 * minute with the count, since any client can send one. The rejected value itself is not logged.
 */
final class ReplacedIds {

    private static final System.Logger LOG = System.getLogger(RequestId.class.getName());
    private static final long INTERVAL = TimeUnit.MINUTES.toNanos(1);
    private static final AtomicLong COUNT = new AtomicLong();
    private static final AtomicLong NEXT_LOG = new AtomicLong(System.nanoTime());

    private ReplacedIds() {
    }

    static void logged(String rejected, String replacement) {
        long count = COUNT.incrementAndGet();
        long now = System.nanoTime();
        long due = NEXT_LOG.get();
        if ((count == 1 || now - due >= 0) && NEXT_LOG.compareAndSet(due, now + INTERVAL)) {
            LOG.log(System.Logger.Level.INFO, "FCGI-0830 a request''s X-Request-Id ({0} characters) is not 1 to {1}"
                    + " characters of A-Z a-z 0-9 - _ . : @ + / =; the request is [{2}] instead ({3} replaced so"
                    + " far, this line at most once a minute)", rejected.length(), RequestId.MAX_LENGTH,
                    replacement, count);
        }
    }
}
