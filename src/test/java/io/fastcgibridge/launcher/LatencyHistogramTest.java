package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesOfEvenlySpreadLatenciesAreWithinThreePercent() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 10_000; micros++) {
            histogram.record(micros * 1000);
        }
        assertEquals(10_000, histogram.count());
        assertEquals(5.0, histogram.percentileMillis(0.50), 5.0 * 0.03);
        assertEquals(9.9, histogram.percentileMillis(0.99), 9.9 * 0.03);
    }

    @Test
    void everyBucketStartsAtOrBelowTheLatenciesItHolds() {
        for (long nanos : new long[] {0, 1, 31, 32, 33, 1_000, 123_456, 2_000_000_000L, Long.MAX_VALUE}) {
            long lower = LatencyHistogram.lowerBound(LatencyHistogram.bucket(nanos));
            assertTrue(lower <= nanos && nanos - lower <= Math.max(1, nanos / 32), nanos + " -> " + lower);
        }
    }

    @Test
    void anEmptyRunHasNoPercentile() {
        assertTrue(Double.isNaN(new LatencyHistogram().percentileMillis(0.5)));
    }
}
