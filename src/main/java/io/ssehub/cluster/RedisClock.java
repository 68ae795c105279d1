package io.ssehub.cluster;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Redis's clock as seen from this node: the offset between Redis's {@code TIME} and this node's
 * wall clock, measured at every ping (half the round trip is the error, so slow samples are ignored). Publish deadlines are set
 * in Redis's time, so the script that checks them needs no clock of ours.
 *
 * <p>Thread-safe.
 */
final class RedisClock {

    /** Samples with a longer round trip are ignored: their error could exceed the publish deadline's margin. */
    static final long MAX_ROUND_TRIP_MILLIS = 250;

    private volatile long offsetMillis;

    /** Now, in Redis's time, in milliseconds since the epoch. */
    long redisMillis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    /** Measures the offset again; the stage completes on Lettuce's event loop. */
    CompletionStage<Void> measure(RedisConnections redis) {
        long sent = System.currentTimeMillis();
        return redis.time().thenAccept(time -> update(sent, time, System.currentTimeMillis()));
    }

    private void update(long sent, List<String> time, long received) {
        if (received - sent > MAX_ROUND_TRIP_MILLIS) {
            return; // a reply held up (a frozen Redis) says little about the offset
        }
        long redis = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
        offsetMillis = redis - (sent + received) / 2;
    }
}
