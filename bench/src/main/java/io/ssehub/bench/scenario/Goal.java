package io.ssehub.bench.scenario;

/**
 * A figure of a scenario compared between ssehub and one peer, and the ratio ssehub / peer the
 * product aims for.
 *
 * @param peer           whom ssehub is compared with
 * @param figure         the figure's name in the {@link Measurement}
 * @param higherIsBetter throughput (ratio at least the target) or latency, memory and time (at most)
 * @param target         the ratio aimed for; {@code NaN} when the figure is shown without a target
 */
public record Goal(Peer peer, String figure, boolean higherIsBetter, double target) {

    /** A figure shown beside the peer's without a target. */
    public static Goal shown(Peer peer, String figure, boolean higherIsBetter) {
        return new Goal(peer, figure, higherIsBetter, Double.NaN);
    }

    public boolean hasTarget() {
        return !Double.isNaN(target);
    }

    /** Whether {@code ratio} (ssehub / peer) meets the target. */
    public boolean met(double ratio) {
        return higherIsBetter ? ratio >= target : ratio <= target;
    }
}
