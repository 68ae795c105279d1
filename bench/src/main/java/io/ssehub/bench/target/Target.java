package io.ssehub.bench.target;

import io.ssehub.bench.load.PublishFormat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A running server under test, started by the harness and stopped by {@link #close()}, which ends
 * exactly the processes it started (by their process ids).
 */
public interface Target extends AutoCloseable {

    /** Short name for the results table, e.g. {@code ssehub-jetty} or {@code nchan}. */
    String name();

    /** The loopback address it listens on. */
    InetSocketAddress address();

    /** Every address clients may use: one, or each node of a cluster. */
    default List<InetSocketAddress> addresses() {
        return List.of(address());
    }

    /** The event-stream path for a topic: every server measured serves the seed's {@code GET /events/{topic}}. */
    default String subscribePath(String topic) {
        return "/events/" + topic;
    }

    PublishFormat publishFormat();

    /** Every process of the server right now (an nginx master and its workers). */
    List<Long> pids();

    /** Live heap bytes after a full GC, where the server can tell (a JVM); empty otherwise. */
    OptionalLong liveHeapBytes();

    /**
     * The streams the server has ended so far, by its reason (ssehub's {@code over_limit},
     * {@code client_gone}, ...), where it counts them; empty for a server that does not.
     *
     * @throws IOException when a server that counts them could not be asked
     */
    default Map<String, Long> streamClosesByReason() throws IOException, InterruptedException {
        return Map.of();
    }

    /**
     * Worker processes of the server that died of a signal since it started, which a master
     * process replaced (nginx's workers; a crash takes their clients and whatever they held with
     * them); 0 for a server that cannot tell or has no such workers.
     *
     * @throws IOException when the server's log could not be read
     */
    default int crashedWorkers() throws IOException {
        return 0;
    }

    /** One line saying how it was configured. */
    String configuration();

    @Override
    void close();
}
