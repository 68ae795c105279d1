package io.ssehub.http;

import io.ssehub.sse.StreamObserver;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What the front end needs to be run in production: readiness, the count of publishes in flight
 * for a clean shutdown, the streams' observer and, if enabled, the metrics exposition.
 *
 * @param metrics   {@code null} when metrics are switched off ({@code GET /metrics} is then 404)
 * @param streamLog whether each stream's opening and closing is logged: a stream's lines of the
 *                  access log, switched off with it ({@code ssehub.log.access=false})
 */
public record Operations(Readiness readiness, InFlight publishes, StreamObserver streamObserver, Exposition metrics,
                         boolean streamLog) {

    /** Metrics in a text format. */
    public record Exposition(String contentType, Writer writer) {
    }

    /** Writes the current metrics; called on a container thread per scrape. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Ready, no metrics, nothing observed: for a hub wired without operations. */
    public static Operations basic() {
        Readiness readiness = new Readiness();
        readiness.started();
        return new Operations(readiness, new InFlight(), StreamObserver.NONE, null, true);
    }
}
