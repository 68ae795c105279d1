package io.ssehub.bench.scenario;

import java.util.Locale;
import java.util.Map;

/**
 * Scenario sizes: a flag {@code --a-subscribers=500} wins over the environment variable
 * {@code BENCH_A_SUBSCRIBERS=500}, which wins over the default given by the scenario (its quick
 * default when {@code --quick} is on).
 */
public final class Params {

    private final Map<String, String> flags;
    private final Map<String, String> env;
    private final boolean quick;

    public Params(Map<String, String> flags, Map<String, String> env, boolean quick) {
        this.flags = flags;
        this.env = env;
        this.quick = quick;
    }

    public boolean quick() {
        return quick;
    }

    /** An integer parameter such as {@code a-subscribers}. */
    public int integer(String key, int full, int quickDefault) {
        return (int) Math.round(number(key, full, quickDefault));
    }

    public double number(String key, double full, double quickDefault) {
        String raw = raw(key);
        return raw == null ? (quick ? quickDefault : full) : Double.parseDouble(raw);
    }

    /**
     * The uncounted warm-up before each measurement, the same for both servers
     * ({@code --warmup-seconds}): 10 s, as C2 was still compiling the publish path after 3 s and
     * took a fifth of the server's CPU.
     */
    public long warmupMillis() {
        return (long) (number("warmup-seconds", 10, 1) * 1000);
    }

    public String text(String key, String defaultValue) {
        String raw = raw(key);
        return raw == null ? defaultValue : raw;
    }

    private String raw(String key) {
        String flag = flags.get(key);
        if (flag != null) {
            return flag;
        }
        return env.get("BENCH_" + key.replace('-', '_').toUpperCase(Locale.ROOT));
    }
}
