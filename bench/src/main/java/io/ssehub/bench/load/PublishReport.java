package io.ssehub.bench.load;

import io.ssehub.bench.stats.LatencyHistogram;

import java.util.BitSet;

/**
 * What a round of publishing did.
 *
 * @param sent         requests made (sequence numbers handed out); in a timed run those still
 *                     unanswered when the time was up are neither ok nor errors
 * @param ok           requests answered with 2xx
 * @param errors       requests that failed or got another status
 * @param elapsedNanos from the first request to the last answer, or to the end of a timed run
 * @param latency      request-to-answer time of the 2xx requests
 * @param acked        sequence numbers answered with 2xx: what every subscriber must receive
 */
public record PublishReport(long sent, long ok, long errors, long elapsedNanos, LatencyHistogram latency,
                            BitSet acked) {

    /** Successful publishes per second. */
    public double okPerSecond() {
        return elapsedNanos == 0 ? 0 : ok * 1e9 / elapsedNanos;
    }
}
