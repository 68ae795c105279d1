package io.ssehub.bench.stats;

/**
 * A fixed-size log-linear histogram of durations, recorded in nanoseconds and kept in microsecond
 * buckets: exact below 1,024 µs and within 0.2 % above, up to about 12 days. Count, minimum and
 * maximum are exact.
 *
 * <p>Not thread-safe: each recording thread owns one and the results are combined with
 * {@link #add(LatencyHistogram)} after the threads have finished.
 */
public final class LatencyHistogram {

    private static final int LINEAR = 1024;
    private static final int SUB = 512;
    private static final int MAX_EXPONENT = 50;
    private static final int BUCKETS = LINEAR + (MAX_EXPONENT - 10 + 1) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long minNanos = Long.MAX_VALUE;
    private long maxNanos = Long.MIN_VALUE;
    private double sumNanos;

    /** Records one duration; negative values (clock skew between threads) count as 0. */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[index(value / 1000)]++;
        count++;
        sumNanos += value;
        minNanos = Math.min(minNanos, value);
        maxNanos = Math.max(maxNanos, value);
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sumNanos += other.sumNanos;
        minNanos = Math.min(minNanos, other.minNanos);
        maxNanos = Math.max(maxNanos, other.maxNanos);
    }

    public long count() {
        return count;
    }

    /** The largest recorded value in nanoseconds, 0 when empty. */
    public long maxNanos() {
        return count == 0 ? 0 : maxNanos;
    }

    public double meanNanos() {
        return count == 0 ? 0 : sumNanos / count;
    }

    /**
     * The value at or below which {@code quantile} of the recordings fall (0 &lt; q &le; 1), as
     * the middle of its bucket in nanoseconds, never above the exact maximum; 0 when empty.
     */
    public long quantileNanos(double quantile) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long micros = lowerMicros(i) + (widthMicros(i) - 1) / 2;
                return Math.max(minNanos, Math.min(maxNanos, micros * 1000 + 500));
            }
        }
        return maxNanos;
    }

    static int index(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (exponent - 9));
        return LINEAR + (exponent - 10) * SUB + (sub - SUB);
    }

    static long lowerMicros(int index) {
        if (index < LINEAR) {
            return index;
        }
        int exponent = (index - LINEAR) / SUB + 10;
        long sub = (index - LINEAR) % SUB + SUB;
        return sub << (exponent - 9);
    }

    static long widthMicros(int index) {
        if (index < LINEAR) {
            return 1;
        }
        int exponent = (index - LINEAR) / SUB + 10;
        return 1L << (exponent - 9);
    }
}
