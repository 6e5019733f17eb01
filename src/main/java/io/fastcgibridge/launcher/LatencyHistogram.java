package io.fastcgibridge.launcher;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies counted in log-linear buckets (32 per power of two, within about 3%), so that recording
 * one costs an atomic increment and the memory stays fixed however long a run lasts. Thread-safe.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = (64 - SUB_BITS) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet(bucket(Math.max(0, nanos)));
    }

    long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The latency in milliseconds below which a share {@code p} of the recorded ones lie; NaN when empty. */
    double percentileMillis(double p) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return lowerBound(i) / 1e6;
            }
        }
        return lowerBound(BUCKETS - 1) / 1e6;
    }

    static int bucket(long nanos) {
        if (nanos < SUB) {
            return (int) nanos;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        int sub = (int) (nanos >>> (exponent - SUB_BITS)) & (SUB - 1);
        return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    static long lowerBound(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int exponent = bucket / SUB + SUB_BITS - 1;
        return (long) (SUB + bucket % SUB) << (exponent - SUB_BITS);
    }
}
