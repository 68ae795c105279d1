package io.ssehub.bench.scenario;

import io.ssehub.bench.load.PublishDriver;
import io.ssehub.bench.load.PublishReport;
import io.ssehub.bench.load.SubscriberPool;
import io.ssehub.bench.stats.CpuMeter;
import io.ssehub.bench.stats.Proc;
import io.ssehub.bench.target.Target;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Subscribers on one topic and publishers on the same topic; counts every delivery exactly.
 * Paced (scenarios a and b: one publisher at a fixed rate, fixed count) or flat out (scenario c:
 * several publishers as fast as answers come back, for a fixed time).
 */
public final class FanOutScenario implements Scenario {

    /**
     * Paced scenarios publish open loop, each message on time over up to this many connections: a
     * publisher that waited for each answer asked a server slow to answer for fewer messages, and
     * its latency left out their wait (the {@code SseEmitter} hub, answering after writing to every
     * stream, published 15 of (a)'s 50 a second that way).
     */
    static final int PUBLISH_CONNECTIONS = 64;

    private final String id;
    private final boolean flatOut;
    private final int subscribers;
    private final int quickSubscribers;
    private final int messages;
    private final int quickMessages;
    private final double rate;
    private final int seconds;
    private final int quickSeconds;
    private final int queue;

    private FanOutScenario(String id, boolean flatOut, int subscribers, int quickSubscribers, int messages,
                           int quickMessages, double rate, int seconds, int quickSeconds, int queue) {
        this.id = id;
        this.flatOut = flatOut;
        this.subscribers = subscribers;
        this.quickSubscribers = quickSubscribers;
        this.messages = messages;
        this.quickMessages = quickMessages;
        this.rate = rate;
        this.seconds = seconds;
        this.quickSeconds = quickSeconds;
        this.queue = queue;
    }

    /** (a) 1,000 subscribers, 200 messages at 50/s. */
    public static FanOutScenario latency() {
        return new FanOutScenario("a", false, 1_000, 200, 200, 100, 50, 0, 0, 1024);
    }

    /** (b) 10,000 subscribers, 100 messages at 10/s. */
    public static FanOutScenario wide() {
        return new FanOutScenario("b", false, 10_000, 2_000, 100, 30, 10, 0, 0, 1024);
    }

    /**
     * (f) (a) on two ssehub nodes sharing a Redis backplane: subscribers split over the nodes,
     * messages published on both in turn.
     */
    public static FanOutScenario clustered() {
        return new FanOutScenario("f", false, 1_000, 200, 200, 100, 50, 0, 0, 1024);
    }

    @Override
    public boolean twoNodes() {
        return id.equals("f");
    }

    /** (c) 1,000 subscribers, 2 publishers flat out for 10 s. */
    public static FanOutScenario maxFanOut() {
        return new FanOutScenario("c", true, 1_000, 200, 0, 0, 0, 10, 4, 65_536);
    }

    @Override
    public String id() {
        return id;
    }

    private int subscribers(Params p) {
        return p.integer(id + "-subscribers", subscribers, quickSubscribers);
    }

    @Override
    public String title(Params p) {
        if (twoNodes()) {
            return subscribers(p) + " subscribers split over 2 nodes (Redis), " + p.integer(id + "-messages", messages, quickMessages)
                    + " messages at " + p.number(id + "-rate", rate, rate) + "/s published on both";
        }
        if (flatOut) {
            return subscribers(p) + " subscribers, " + p.integer(id + "-publishers", 2, 2)
                    + " publishers flat out for " + p.integer(id + "-seconds", seconds, quickSeconds) + " s";
        }
        return subscribers(p) + " subscribers, " + p.integer(id + "-messages", messages, quickMessages)
                + " messages at " + p.number(id + "-rate", rate, rate) + "/s";
    }

    /**
     * Paced (a, b, f): end-to-end p99 at most nchan's and at most half the {@code SseEmitter} hub's.
     * Flat out (c): deliveries/s at least 4 times nchan's and 3 times the {@code SseEmitter} hub's.
     */
    @Override
    public List<Goal> goals() {
        if (flatOut) {
            return List.of(new Goal(Peer.NCHAN, "deliveries/s", true, 4.0),
                    new Goal(Peer.SPRING, "deliveries/s", true, 3.0));
        }
        return List.of(new Goal(Peer.NCHAN, "e2e p99 ms", false, 1.0),
                new Goal(Peer.SPRING, "e2e p99 ms", false, 0.5));
    }

    @Override
    public Map<String, String> ssehubSettings(Params p) {
        return Map.of("ssehub.subscriber.queue", Integer.toString(p.integer(id + "-queue", queue, queue)));
    }

    @Override
    public Measurement run(Target target, Params p) throws Exception {
        Measurement m = new Measurement();
        int count = subscribers(p);
        String topic = "bench-" + id + "-" + System.nanoTime();
        double warmupRate = p.number(id + "-warmup-rate", flatOut ? 200 : rate, flatOut ? 200 : rate);
        long warmupMillis = p.warmupMillis();
        try (SubscriberPool pool = Subscribers.openAndWarm(target, topic, count, warmupRate, warmupMillis, m)) {
            if (!m.valid()) {
                return m;
            }
            PublishDriver driver = new PublishDriver(target.addresses(), target.publishFormat());
            long deliveredBefore = pool.delivered();
            CpuMeter server = CpuMeter.start(target.pids());
            CpuMeter generator = CpuMeter.start(List.of(Proc.self()));
            long start = System.nanoTime();
            PublishReport published = flatOut
                    ? driver.flatOut(topic, p.integer(id + "-publishers", 2, 2),
                            p.integer(id + "-seconds", seconds, quickSeconds) * 1000L)
                    : driver.openLoop(topic, p.integer(id + "-messages", messages, quickMessages),
                            p.number(id + "-rate", rate, rate), PUBLISH_CONNECTIONS, () -> false, seq -> { });
            // Wait for every message that may have been published, not only the acknowledged ones: a
            // request cut off at the deadline may still be published, and its deliveries count in
            // delivered() too. Stopping at acknowledged x subscribers stopped that many deliveries
            // early and booked deliveries still on their way as lost.
            long possible = Math.max(published.ok(), published.sent()) * count;
            long lastDelivery = drain(pool, deliveredBefore + possible, (long) (p.number("drain-quiet-seconds", 10, 10) * 1e9));
            long elapsed = lastDelivery - start;
            m.put("server sys %", server.systemPercent());
            m.put("server cpu %", server.percent());
            m.put("generator cpu %", generator.percent());
            pool.close();
            SubscriberPool.Tally tally = pool.tally(published.acked());
            record(m, published, tally, elapsed);
            if (!flatOut) {
                noteShortRate(m, published.okPerSecond(), p.number(id + "-rate", rate, rate));
            }
        }
        return m;
    }

    /**
     * Waits until {@code target} deliveries arrived, or {@code quietNanos} pass without progress (at
     * most 120 s); returns the {@link System#nanoTime()} at which the last delivery was seen, so a
     * quiet wait for a message that was never published does not count as delivery time.
     */
    static long drain(SubscriberPool pool, long target, long quietNanos) throws InterruptedException {
        long hardDeadline = System.nanoTime() + 120_000_000_000L;
        long last = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            long now = pool.delivered();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            }
            if (now >= target || System.nanoTime() - lastProgress > quietNanos || System.nanoTime() - hardDeadline >= 0) {
                return lastProgress;
            }
            SubscriberPool.await(() -> pool.delivered() >= target, 100);
        }
    }

    /**
     * An open-loop publisher still falls behind a server that keeps all its connections waiting,
     * and then publishes fewer messages per second than asked (their wait is in their latency, as
     * each is stamped with when it was due). Says so when the rate fell more than a tenth short.
     */
    static void noteShortRate(Measurement m, double achieved, double asked) {
        if (achieved < 0.9 * asked) {
            m.note(String.format(Locale.ROOT, "published %.1f/s of the %.1f/s asked: its answers kept every"
                    + " publishing connection waiting, and the messages that waited for one count it in their latency", achieved, asked));
        }
    }

    private static void record(Measurement m, PublishReport published, SubscriberPool.Tally tally, long elapsed) {
        m.put("published", published.ok());
        m.put("publish errors", published.errors());
        m.put("publish/s", published.okPerSecond());
        m.put("publish p50 ms", published.latency().quantileNanos(0.50) / 1e6);
        m.put("publish p99 ms", published.latency().quantileNanos(0.99) / 1e6);
        m.put("expected", tally.expected());
        m.put("received", tally.received());
        m.put("lost", tally.lost());
        m.put("duplicates", tally.duplicates());
        m.put("delivered ratio", tally.deliveredRatio());
        m.put("deliveries/s", tally.received() * 1e9 / elapsed);
        m.put("e2e p50 ms", tally.latency().quantileNanos(0.50) / 1e6);
        m.put("e2e p99 ms", tally.latency().quantileNanos(0.99) / 1e6);
        m.put("e2e max ms", tally.latency().maxNanos() / 1e6);
        if (tally.lost() > 0) {
            m.invalid(tally.lost() + " deliveries lost: " + tally.lossDetail());
        }
        if (tally.duplicates() > 0) {
            m.invalid(tally.duplicates() + " duplicate deliveries");
        }
        if (tally.unexpected() > 0) {
            m.note(tally.unexpected() + " deliveries of unacknowledged messages");
        }
        invalidIfBroken(m, tally, published);
    }

    /** Marks the run invalid for malformed events, streams the server closed, failed publishes or none at all. */
    static void invalidIfBroken(Measurement m, SubscriberPool.Tally tally, PublishReport published) {
        if (tally.malformed() > 0) {
            m.invalid(tally.malformed() + " malformed events");
        }
        if (tally.closedByServer() > 0) {
            m.invalid(tally.closedByServer() + " streams closed by the server");
        }
        if (published.errors() > 0) {
            m.invalid(published.errors() + " publish requests failed");
        }
        if (published.ok() == 0) {
            m.invalid("nothing was published");
        }
    }
}
