package io.ssehub.bench.scenario;

import io.ssehub.bench.load.HeldStreams;
import io.ssehub.bench.load.PublishDriver;
import io.ssehub.bench.load.PublishReport;
import io.ssehub.bench.load.Tricklers;
import io.ssehub.bench.stats.CpuMeter;
import io.ssehub.bench.target.Target;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * (h) Hostile clients, ssehub only: flat-out publishers measured on one server alone
 * ({@code baseline}), while anonymous Mercure subscribers hold pathological topic selectors
 * ({@code selectors}), while publishers trickle their bodies a byte a second ({@code tricklers}),
 * and alone again ({@code baseline again}); each hostile round's figures are also given as a ratio
 * to the better baseline's.
 * nchan, the floor and the Spring peer have no such API and do not run it.
 *
 * <p>The selectors are {@code {+a}{+b}...{+p}Z1} to {@code ...Z32}, 32 per subscriber: if ssehub
 * refuses them (400, a selector that could exhaust its matching budget), the subscriber asks again
 * with one expression fewer, down to one, so the round holds the costliest selectors ssehub admits;
 * {@code selector expressions} says how many each has, {@code selector refusals} how many asks were
 * refused before.
 */
public final class HostileScenario implements Scenario {

    private static final String LETTERS = "abcdefghijklmnop";

    @Override
    public String id() {
        return "h";
    }

    @Override
    public String title(Params p) {
        return p.integer("h-publishers", 4, 4) + " flat-out publishers for " + p.integer("h-seconds", 10, 3)
                + " s, alone, beside " + p.integer("h-subscribers", 4, 4) + " Mercure subscribers of "
                + p.integer("h-selectors", 32, 32) + " pathological selectors, and beside "
                + p.integer("h-tricklers", 300, 300) + " publishers trickling a byte a second";
    }

    /** Compared with itself only: the ratios hostile / baseline are figures of the scenario. */
    @Override
    public List<Goal> goals() {
        return List.of();
    }

    @Override
    public boolean ssehubOnly() {
        return true;
    }

    @Override
    public Map<String, String> ssehubSettings(Params p) {
        return Map.of("ssehub.mercure.enabled", "true", "ssehub.mercure.anonymous", "true");
    }

    @Override
    public Measurement run(Target target, Params p) throws Exception {
        Measurement m = new Measurement();
        PublishDriver driver = new PublishDriver(target.address(), target.publishFormat());
        int publishers = p.integer("h-publishers", 4, 4);
        long millis = p.integer("h-seconds", 10, 3) * 1000L;
        String topic = "bench-h-" + System.nanoTime();
        driver.flatOut(topic + "-warm", publishers, p.warmupMillis()); // uncounted: a JIT has compiled the path

        PublishReport first = round(m, "baseline", driver, target, topic + "-base", publishers, millis);
        List<PublishReport> hostile = new ArrayList<>();

        try (HeldStreams subscribers = new HeldStreams(target.address())) {
            int expressions = LETTERS.length();
            int refusals = 0;
            for (int s = 0; s < p.integer("h-subscribers", 4, 4); s++) {
                while (subscribers.open(mercureSubscribe(expressions, p.integer("h-selectors", 32, 32))) != 200) {
                    refusals++;
                    if (--expressions == 0) {
                        throw new IllegalStateException("not even one-expression selectors were admitted");
                    }
                }
            }
            m.put("selector expressions", expressions);
            m.put("selector refusals", refusals);
            m.put("selector subscribers", subscribers.held());
            hostile.add(round(m, "selectors", driver, target, topic + "-sel", publishers, millis));
        }

        byte[] trickled = target.publishFormat().request(target.address().getHostString() + ":"
                + target.address().getPort(), topic + "-trickled", "never finished, trickled a byte a second");
        Tricklers tricklers = Tricklers.start(target.address(), p.integer("h-tricklers", 300, 300), trickled);
        try {
            hostile.add(round(m, "tricklers", driver, target, topic + "-tri", publishers, millis));
        } finally {
            tricklers.close();
        }
        m.put("trickler connections", tricklers.connected());
        m.put("tricklers cut off", tricklers.cutOff());
        PublishReport last = round(m, "baseline again", driver, target, topic + "-again", publishers, millis);
        compare(m, "selectors", hostile.get(0), first, last);
        compare(m, "tricklers", hostile.get(1), first, last);
        return m;
    }

    /** One measured round of flat-out publishing; its figures are prefixed with {@code name}. */
    private static PublishReport round(Measurement m, String name, PublishDriver driver, Target target, String topic,
                                       int publishers, long millis) throws InterruptedException {
        CpuMeter server = CpuMeter.start(target.pids());
        PublishReport published = driver.flatOut(topic, publishers, millis);
        m.put(name + " server cpu %", server.percent());
        m.put(name + " publish/s", published.okPerSecond());
        m.put(name + " publish p50 ms", published.latency().quantileNanos(0.50) / 1e6);
        m.put(name + " publish p99 ms", published.latency().quantileNanos(0.99) / 1e6);
        m.put(name + " publish errors", published.errors());
        if (published.errors() > 0) {
            m.invalid(name + ": " + published.errors() + " publish requests failed");
        }
        if (published.ok() == 0) {
            m.invalid(name + ": nothing was published");
        }
        return published;
    }

    /**
     * The hostile round's p50, p99 and publishes/s over the better of the two baselines' (the one
     * before the hostile rounds, with a JIT perhaps still compiling, and the one after them), so
     * that warming up never passes for the attack's cost nor hides it.
     */
    private static void compare(Measurement m, String name, PublishReport hostile, PublishReport first,
                                PublishReport last) {
        for (double q : new double[] {0.50, 0.99}) {
            double baseline = Math.min(first.latency().quantileNanos(q), last.latency().quantileNanos(q));
            m.put(name + "/baseline p" + Math.round(q * 100), ratio(hostile.latency().quantileNanos(q), baseline));
        }
        m.put(name + "/baseline publish/s",
                ratio(hostile.okPerSecond(), Math.max(first.okPerSecond(), last.okPerSecond())));
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    /** An anonymous Mercure subscribe to {@code count} selectors of {@code expressions} reserved expansions each. */
    static String mercureSubscribe(int expressions, int count) {
        String pattern = LETTERS.substring(0, expressions).chars()
                .mapToObj(c -> "{+" + (char) c + "}").collect(Collectors.joining());
        return "/.well-known/mercure?" + IntStream.rangeClosed(1, count)
                .mapToObj(i -> "topic=" + URLEncoder.encode(pattern + "Z" + i, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
