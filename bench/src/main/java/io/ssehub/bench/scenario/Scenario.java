package io.ssehub.bench.scenario;

import io.ssehub.bench.target.Target;

import java.util.List;
import java.util.Map;

/** One load scenario, run the same way against every server. */
public interface Scenario {

    /** One letter, {@code a} to {@code e}. */
    String id();

    /** What it does with the sizes in force, for the table. */
    String title(Params params);

    /**
     * The figures compared between ssehub and each peer, in the order the summary shows them, with
     * the ratio ssehub / peer the product aims for. A goal whose peer did not run the scenario is
     * left out of the summary.
     */
    List<Goal> goals();

    /**
     * ssehub settings this scenario needs (e.g. a queue long enough that nothing is dropped); none
     * by default, so the scenario meets ssehub as a deployment does.
     */
    default Map<String, String> ssehubSettings(Params params) {
        return Map.of();
    }

    /** Runs against a freshly started server; bounded in time. */
    Measurement run(Target target, Params params) throws Exception;

    /** Whether only ssehub runs it: it measures what the peers have no API for. */
    default boolean ssehubOnly() {
        return false;
    }

    /** Whether ssehub runs as two nodes on a Redis backplane for this scenario (nchan stays one server). */
    default boolean twoNodes() {
        return false;
    }
}
