package io.ssehub.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Publish requests per second, per publisher: a token bucket for each, holding up to
 * {@code burst} tokens and refilled at {@code perSecond}; a publish takes one (a batch is one
 * publish), and a publisher whose bucket is empty gets 429 with the {@code Retry-After} that
 * refills it. Checked before the body is read, so a refused publish costs no more than its headers.
 * Who a publisher is, is the caller's: the credential's subject, or the client address for anonymous
 * publishes.
 *
 * <p>Thread-safe. Buckets that have refilled completely are forgotten (checked at most every
 * {@link #SWEEP_NANOS}), so the memory held is that of the publishers of the last few seconds.
 */
public final class PublishRate {

    /** No limit. */
    public static final PublishRate OFF = new PublishRate(0, 0, System::nanoTime);

    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double perSecond;
    private final int burst;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    /** One publisher's tokens, as of {@code updated}. Guarded by its own monitor. */
    private final class Bucket {
        private double tokens = burst;
        private long updated;

        Bucket(long now) {
            updated = now;
        }

        /** Takes a token; returns 0, or the nanoseconds until one is there. */
        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * SECOND / perSecond);
        }

        synchronized boolean full(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updated) * perSecond / SECOND);
            updated = now;
        }
    }

    /**
     * @param perSecond publishes a publisher may make per second over time; 0 for no limit
     * @param burst     publishes it may make at once after a pause (at least 1 when limited)
     */
    public PublishRate(double perSecond, int burst, LongSupplier clock) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.clock = clock;
        this.nextSweep = new AtomicLong(clock.getAsLong() + SWEEP_NANOS);
    }

    /** Whether publishers are limited at all: {@link #take} does nothing when not. */
    public boolean limited() {
        return perSecond > 0;
    }

    /** @throws ProblemException 429 with {@code Retry-After} when {@code publisher} has no token left */
    public void take(String publisher) {
        if (perSecond <= 0) {
            return;
        }
        long now = clock.getAsLong();
        sweepNowAndThen(now);
        long wait = buckets.computeIfAbsent(publisher, p -> new Bucket(now)).take(now);
        if (wait > 0) {
            throw ProblemException.tooManyRequests("rate-limited",
                    "this publisher may publish " + rate() + " times per second, " + burst + " at once",
                    (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + SECOND - 1)));
        }
    }

    private String rate() {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }

    private void sweepNowAndThen(long now) {
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + SWEEP_NANOS)) {
            buckets.values().removeIf(bucket -> bucket.full(now));
        }
    }
}
