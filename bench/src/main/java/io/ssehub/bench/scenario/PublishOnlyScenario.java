package io.ssehub.bench.scenario;

import io.ssehub.bench.load.PublishDriver;
import io.ssehub.bench.load.PublishReport;
import io.ssehub.bench.stats.CpuMeter;
import io.ssehub.bench.stats.Proc;
import io.ssehub.bench.stats.Rest;
import io.ssehub.bench.target.Target;

import java.util.List;

/** (d) Publish only: concurrent keep-alive publishers, no subscribers, for a fixed time. */
public final class PublishOnlyScenario implements Scenario {

    @Override
    public String id() {
        return "d";
    }

    @Override
    public String title(Params p) {
        return p.integer("d-publishers", 16, 16) + " keep-alive publishers, no subscribers, "
                + p.integer("d-seconds", 10, 3) + " s";
    }

    /**
     * Publishes/s at least nchan's, and at least 0.95 of the container's floor: ssehub's own part
     * of a publish costs at most a twentieth of what the container costs.
     */
    @Override
    public List<Goal> goals() {
        return List.of(new Goal(Peer.NCHAN, "publish/s", true, 1.0),
                new Goal(Peer.FLOOR, "publish/s", true, 0.95),
                Goal.shown(Peer.SPRING, "publish/s", true));
    }

    @Override
    public Measurement run(Target target, Params p) throws Exception {
        Measurement m = new Measurement();
        PublishDriver driver = new PublishDriver(target.address(), target.publishFormat());
        String topic = "bench-d-" + System.nanoTime();
        int publishers = p.integer("d-publishers", 16, 16);
        // A warm-up on the same code path, not counted, so a JIT has compiled it: the fixed
        // warm-up, then on until the server's compilers rest. The same topic too: a topic first
        // published to in the measured time took ssehub's publish through a branch its compiled
        // code had never seen (the topic's creation), and C2 compiled it again while measured.
        long warmStart = System.nanoTime();
        driver.flatOut(topic, publishers, p.warmupMillis());
        Rest.await(() -> Proc.compilerTicks(target.pids()), () -> driver.flatOut(topic, publishers, 1_000),
                warmStart + (long) (p.number("d-warmup-max-seconds", 60, 5) * 1e9));
        m.put("warm-up s", (System.nanoTime() - warmStart) / 1e9);
        CpuMeter server = CpuMeter.start(target.pids());
        long compilersBefore = Proc.compilerTicks(target.pids());
        long measuredFrom = System.nanoTime();
        CpuMeter generator = CpuMeter.start(List.of(Proc.self()));
        PublishReport published = driver.flatOut(topic, publishers,
                p.integer("d-seconds", 10, 3) * 1000L);
        // Compiling during the measured time makes a run slower than the code is: shown, not hidden.
        m.put("server jit cpu %", Proc.percentOfCore(Proc.compilerTicks(target.pids()) - compilersBefore,
                measuredFrom));
        m.put("server sys %", server.systemPercent());
        m.put("server cpu %", server.percent());
        long serverMicros = server.micros();
        m.put("generator cpu %", generator.percent());
        m.put("published", published.ok());
        m.put("publish errors", published.errors());
        m.put("publish/s", published.okPerSecond());
        // The server's own cost per publish: steadier than the rate on a shared machine, where
        // other processes take cores from server and generator alike.
        if (published.ok() > 0) {
            m.put("server cpu us / publish", (double) serverMicros / published.ok());
        }
        m.put("publish p50 ms", published.latency().quantileNanos(0.50) / 1e6);
        m.put("publish p99 ms", published.latency().quantileNanos(0.99) / 1e6);
        m.put("publish max ms", published.latency().maxNanos() / 1e6);
        if (published.errors() > 0) {
            m.invalid(published.errors() + " publish requests failed");
        }
        if (published.ok() == 0) {
            m.invalid("nothing was published");
        }
        return m;
    }
}
