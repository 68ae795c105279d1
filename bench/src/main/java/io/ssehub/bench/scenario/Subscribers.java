package io.ssehub.bench.scenario;

import io.ssehub.bench.load.PublishDriver;
import io.ssehub.bench.load.SubscriberPool;
import io.ssehub.bench.target.Target;

/** Opening a pool of subscribers and proving that all of them are registered. */
final class Subscribers {

    static final int THREADS = 2;
    static final int MAX_CONNECTING = 256;

    private Subscribers() {
    }

    /**
     * Opens {@code count} subscribers on {@code topic} and waits until all stream; then publishes
     * warm-up messages until each has received one, so every later message must reach all of them.
     * Then, for {@code warmupMillis}, publishes uncounted warm-up messages at {@code warmupRate}
     * (both servers alike; it lets a JIT compile the delivery path) and waits until they stop
     * arriving. Records {@code connected} and {@code connect s}; marks the measurement invalid on
     * a shortfall.
     */
    static SubscriberPool openAndWarm(Target target, String topic, int count, double warmupRate, long warmupMillis,
                                      Measurement m) throws Exception {
        SubscriberPool pool = new SubscriberPool(target.addresses(), target.subscribePath(topic), THREADS, MAX_CONNECTING);
        long start = System.nanoTime();
        pool.open(count);
        SubscriberPool.await(() -> pool.connected() + pool.failed() >= count, 120_000);
        m.put("connect s", (System.nanoTime() - start) / 1e9);
        m.put("connected", pool.connected());
        if (pool.connected() < count) {
            m.invalid((count - pool.connected()) + " of " + count + " subscribers did not connect");
            return pool;
        }
        PublishDriver driver = new PublishDriver(target.addresses(), target.publishFormat());
        boolean warm = driver.warmUp(topic, () -> pool.warmedUp() >= count, 20, 60_000);
        if (!warm) {
            m.invalid("only " + pool.warmedUp() + " of " + count + " subscribers saw a warm-up message");
            return pool;
        }
        if (warmupMillis > 0) {
            driver.warmUpPaced(topic, warmupRate, warmupMillis);
            if (!pool.awaitWarmupQuiet(1_000, 60_000)) {
                m.note("warm-up messages were still arriving after 60 s");
            }
        }
        return pool;
    }
}
