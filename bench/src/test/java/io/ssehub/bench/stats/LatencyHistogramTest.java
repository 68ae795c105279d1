package io.ssehub.bench.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void quantilesAreWithinBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (long micros = 1; micros <= 100_000; micros++) {
            h.record(micros * 1000);
        }
        assertEquals(100_000, h.count());
        assertEquals(100_000_000L, h.maxNanos());
        assertClose(50_000_000L, h.quantileNanos(0.50));
        assertClose(99_000_000L, h.quantileNanos(0.99));
        assertEquals(100_000_000L, h.quantileNanos(1.0));
    }

    @Test
    void smallValuesAreExactToTheMicrosecond() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(3_000);
        h.record(3_400);
        h.record(900_000);
        assertEquals(3_500, h.quantileNanos(0.5));
        assertEquals(900_000, h.maxNanos());
    }

    @Test
    void mergingAddsCounts() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(1_000_000);
        b.record(5_000_000);
        b.record(-5);
        a.add(b);
        assertEquals(3, a.count());
        assertEquals(5_000_000, a.maxNanos());
        assertEquals(500, a.quantileNanos(0.01), "negative values count as 0, reported mid-bucket");
    }

    @Test
    void bucketIndexRoundTrips() {
        for (long micros : new long[] {0, 1, 1023, 1024, 1025, 5_000, 123_456_789L, 1L << 40}) {
            int index = LatencyHistogram.index(micros);
            long lower = LatencyHistogram.lowerMicros(index);
            assertTrue(lower <= micros && micros < lower + LatencyHistogram.widthMicros(index), "micros " + micros);
        }
    }

    private static void assertClose(long expected, long actual) {
        assertTrue(Math.abs(expected - actual) <= expected * 0.002, expected + " vs " + actual);
    }
}
