package io.ssehub.bench.scenario;

import io.ssehub.bench.load.SubscriberPool;
import io.ssehub.bench.stats.CpuMeter;
import io.ssehub.bench.stats.Proc;
import io.ssehub.bench.stats.Rest;
import io.ssehub.bench.target.Target;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * (e) Idle streams: open many streams on one topic that nobody publishes to, hold them, and measure the server's
 * resident memory (all its processes) before and after; for a JVM also the live heap after a
 * full GC. Growth is divided by the number of streams.
 *
 * <p>With {@code e-warm-streams} above 0, that many streams are opened first, on another topic,
 * and held until the end: a JVM server has then compiled its connect path before the measured
 * streams open, so {@code connect s} is what a connect costs, not what the JIT's first seconds do,
 * and the memory figures start after the code the connects compiled. How long the warm-up streams
 * took is shown as {@code warm connect s}.
 *
 * <p>With {@code e-warm-closed} above 0, that many streams are opened on another topic and closed
 * again, in rounds of at most {@code e-streams}, and the server is left until it is quiet, before
 * anything is measured: a node that has served a while, met by a burst of connects with nothing
 * else to do. {@code connect s} and {@code server cpu us / connect} are then what a connect costs
 * once the JIT has compiled the path, without the held streams' keep-alives and probes of
 * {@code e-warm-streams}; the warm-up's own time is {@code warm-up s}. The floor never writes to
 * an idle stream again, so it keeps a closed stream's connection until it stops: with the floor,
 * the warm-up and the measured streams together must fit under the open-file limit.
 */
public final class IdleStreamsScenario implements Scenario {

    @Override
    public String id() {
        return "e";
    }

    private static int streams(Params p) {
        return p.integer("e-streams", 10_000, 2_000);
    }

    private static int warmStreams(Params p) {
        return p.integer("e-warm-streams", 0, 0);
    }

    /** With warm-up streams, room for them beside the measured ones under ssehub's limit of open streams. */
    @Override
    public Map<String, String> ssehubSettings(Params p) {
        int warm = warmStreams(p);
        return warm == 0 ? Map.of() : Map.of("ssehub.streams.max", Integer.toString(streams(p) + warm));
    }

    private static int warmClosed(Params p) {
        return p.integer("e-warm-closed", 0, 0);
    }

    private static int seconds(Params p) {
        return p.integer("e-seconds", 20, 5);
    }

    @Override
    public String title(Params p) {
        int warm = warmStreams(p);
        int closed = warmClosed(p);
        return streams(p) + " idle streams held " + seconds(p) + " s" + (warm == 0 ? "" : ", after " + warm + " warm-up streams")
                + (closed == 0 ? "" : ", after " + closed + " warm-up streams opened and closed");
    }

    /**
     * Resident memory per stream at most nchan's, at most 1.1 times the container's floor's and at
     * most half the {@code SseEmitter} hub's; the time to open every stream beside each peer's.
     */
    @Override
    public List<Goal> goals() {
        return List.of(new Goal(Peer.NCHAN, "rss/stream B", false, 1.0),
                new Goal(Peer.FLOOR, "rss/stream B", false, 1.10),
                new Goal(Peer.SPRING, "rss/stream B", false, 0.5),
                Goal.shown(Peer.NCHAN, "connect s", false),
                Goal.shown(Peer.FLOOR, "connect s", false),
                Goal.shown(Peer.FLOOR, "server cpu us / connect", false),
                Goal.shown(Peer.SPRING, "connect s", false));
    }

    @Override
    public Measurement run(Target target, Params p) throws Exception {
        Measurement m = new Measurement();
        int count = streams(p);
        int warm = warmStreams(p);
        SubscriberPool warmPool = warm == 0 ? null : new SubscriberPool(target.address(),
                target.subscribePath("warm-" + System.nanoTime()), Subscribers.THREADS, Subscribers.MAX_CONNECTING);
        try {
            if (!warmUpClosed(target, p, m, count)) {
                return m;
            }
            if (warmPool != null) {
                long start = System.nanoTime();
                warmPool.open(warm);
                SubscriberPool.await(() -> warmPool.connected() + warmPool.failed() >= warm, 120_000);
                m.put("warm connect s", (System.nanoTime() - start) / 1e9);
                if (warmPool.connected() < warm) {
                    m.invalid((warm - warmPool.connected()) + " of " + warm + " warm-up streams did not open");
                    return m;
                }
            }
            measure(target, p, m, count);
            if (warmPool != null && warmPool.closedByServer() > 0) {
                m.invalid(warmPool.closedByServer() + " of " + warm + " warm-up streams were closed by the server");
            }
        } finally {
            if (warmPool != null) {
                warmPool.close();
            }
        }
        return m;
    }

    /**
     * Opens and closes {@code e-warm-closed} streams in rounds of at most {@code count}, each
     * followed by a wait of at most a minute for the server to rest ({@link Rest}); returns false,
     * with the measurement made invalid, if a round did not open.
     */
    private static boolean warmUpClosed(Target target, Params p, Measurement m, int count) throws Exception {
        int total = warmClosed(p);
        if (total == 0) {
            return true;
        }
        long start = System.nanoTime();
        for (int done = 0; done < total; ) {
            int round = Math.min(count, total - done);
            try (SubscriberPool pool = new SubscriberPool(target.address(),
                    target.subscribePath("warm-closed-" + System.nanoTime()), Subscribers.THREADS, Subscribers.MAX_CONNECTING)) {
                pool.open(round);
                SubscriberPool.await(() -> pool.connected() + pool.failed() >= round, 120_000);
                if (pool.connected() < round) {
                    m.invalid((round - pool.connected()) + " of " + round + " closed warm-up streams did not open");
                    return false;
                }
            }
            done += round;
            // The server at rest: the streams released (before the next round counts against its
            // limit of open streams) and its compilers done with what the connects gave them.
            Rest.await(() -> Proc.cpuTicks(target.pids()), () -> Thread.sleep(1000), System.nanoTime() + 60_000_000_000L);
        }
        m.put("warm-up s", (System.nanoTime() - start) / 1e9);
        return true;
    }

    private static void measure(Target target, Params p, Measurement m, int count) throws Exception {
        OptionalLong heapBefore = target.liveHeapBytes();
        long rssBefore = Proc.rssBytes(target.pids());
        long threadsBefore = Proc.threads(target.pids());
        CpuMeter server = CpuMeter.start(target.pids());
        CpuMeter generator = CpuMeter.start(List.of(Proc.self()));
        // All streams on one topic that nobody publishes to.
        try (SubscriberPool pool = new SubscriberPool(target.address(), target.subscribePath("idle-" + System.nanoTime()),
                Subscribers.THREADS, Subscribers.MAX_CONNECTING)) {
            CpuMeter burst = CpuMeter.start(target.pids());
            long compilersBefore = Proc.compilerTicks(target.pids());
            long start = System.nanoTime();
            pool.open(count);
            SubscriberPool.await(() -> pool.connected() + pool.failed() >= count, 120_000);
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            long burstMicros = burst.micros();
            long compilerMicros = (Proc.compilerTicks(target.pids()) - compilersBefore) * 1_000_000 / Proc.TICKS_PER_SECOND;
            m.put("connect s", connectSeconds);
            m.put("connected", pool.connected());
            m.put("connects/s", pool.connected() / connectSeconds);
            // What the burst cost the server, beside how long it took, and the JIT compilers' part of it.
            if (pool.connected() > 0) {
                m.put("server cpu us / connect", (double) burstMicros / pool.connected());
            }
            m.put("connect jit share %", burstMicros == 0 ? 0.0 : 100.0 * compilerMicros / burstMicros);
            CpuMeter held = CpuMeter.start(target.pids()); // the idle streams' own cost, without the burst's
            long holdUntil = System.nanoTime() + seconds(p) * 1_000_000_000L;
            SubscriberPool.await(() -> System.nanoTime() - holdUntil >= 0 || pool.closedByServer() > 0,
                    seconds(p) * 1000L + 1000);
            // Wait out the rest of the hold even if a stream closed: the figure is then invalid anyway.
            SubscriberPool.await(() -> System.nanoTime() - holdUntil >= 0, seconds(p) * 1000L + 1000);
            long rssAfter = Proc.rssBytes(target.pids());
            long threadsAfter = Proc.threads(target.pids());
            OptionalLong heapAfter = target.liveHeapBytes();
            m.put("server sys %", server.systemPercent());
            m.put("server cpu %", server.percent());
            m.put("generator cpu %", generator.percent());
            m.put("held cpu %", held.percent());
            m.put("held sys %", held.systemPercent());
            int open = pool.connected() - pool.closedByServer();
            m.put("open at end", open);
            m.put("rss before MiB", rssBefore / 1048576.0);
            m.put("rss after MiB", rssAfter / 1048576.0);
            m.put("rss/stream B", open == 0 ? Double.NaN : (double) (rssAfter - rssBefore) / open);
            m.put("threads before", threadsBefore);
            m.put("threads after", threadsAfter);
            if (heapBefore.isPresent() && heapAfter.isPresent() && open > 0) {
                m.put("heap/stream B", (double) (heapAfter.getAsLong() - heapBefore.getAsLong()) / open);
            }
            pool.close();
            pool.tally(new BitSet());
            if (open < count) {
                m.invalid((count - open) + " of " + count + " streams were not open at the end");
            }
        }
    }
}
