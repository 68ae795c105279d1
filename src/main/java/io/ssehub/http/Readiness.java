package io.ssehub.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether this node should get traffic: only between start and shutdown, and only while every
 * named check passes. The wiring adds checks (a backplane adds its reachability) without touching
 * the handler that reports them.
 *
 * <p>Thread-safe. Checks run on the thread asking, once per {@code GET /readyz}: a check must
 * answer from state it keeps up to date on its own, not do I/O.
 */
public final class Readiness {

    /** One named condition; a check that throws counts as failing. */
    @FunctionalInterface
    public interface Check {
        boolean ready();
    }

    private record Named(String name, Check check) {
    }

    /** Where the application is in its life. */
    public enum Phase { STARTING, RUNNING, STOPPING }

    /**
     * A snapshot.
     *
     * @param checks every check by name, {@code true} when it passed
     */
    public record Report(Phase phase, Map<String, Boolean> checks) {
        public boolean ready() {
            return phase == Phase.RUNNING && !checks.containsValue(false);
        }
    }

    private final CopyOnWriteArrayList<Named> checks = new CopyOnWriteArrayList<>();
    private volatile Phase phase = Phase.STARTING;

    /** Adds a check; its name appears in every report. */
    public Readiness add(String name, Check check) {
        checks.add(new Named(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check")));
        return this;
    }

    public void started() {
        if (phase == Phase.STARTING) {
            phase = Phase.RUNNING;
        }
    }

    /** From now on, not ready, for good. */
    public void stopping() {
        phase = Phase.STOPPING;
    }

    public Report report() {
        Map<String, Boolean> results = new LinkedHashMap<>();
        for (Named named : checks) {
            results.put(named.name(), passes(named.check()));
        }
        return new Report(phase, results);
    }

    private static boolean passes(Check check) {
        try {
            return check.ready();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
