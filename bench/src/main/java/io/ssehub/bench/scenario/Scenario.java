package io.ssehub.bench.scenario;

import io.ssehub.bench.target.Target;

import java.util.Map;

/** One load scenario, run the same way against every server. */
public interface Scenario {

    /** One letter, {@code a} to {@code e}. */
    String id();

    /** What it does with the sizes in force, for the table. */
    String title(Params params);

    /** The figure the ratio ssehub/nchan is taken of. */
    String primary();

    /** Whether a bigger primary figure is better (throughput) or worse (latency, memory). */
    boolean higherIsBetter();

    /** The ratio ssehub/nchan the product aims for (at most this, or at least this if higher is better). */
    double targetRatio();

    /** ssehub settings this scenario needs (e.g. a queue long enough that nothing is dropped). */
    Map<String, String> ssehubSettings(Params params);

    /** Runs against a freshly started server; bounded in time. */
    Measurement run(Target target, Params params) throws Exception;

    /** Whether ssehub runs as two nodes on a Redis backplane for this scenario (nchan stays one server). */
    default boolean twoNodes() {
        return false;
    }
}
