package io.ssehub.bench.load;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes benchmark messages ({@link Payload}) over keep-alive connections: at a fixed rate from
 * one connection that waits for each answer, at a fixed rate whatever the answers' pace (open
 * loop, several connections), or as fast as possible from several, each waiting for its answer
 * before sending the next (closed loop). Every call is bounded in count or time.
 */
public final class PublishDriver {

    private final List<InetSocketAddress> servers;
    private final PublishFormat format;

    public PublishDriver(InetSocketAddress server, PublishFormat format) {
        this(List.of(server), format);
    }

    /** Publishes to several servers (nodes of one cluster) in turn: message n goes to server n mod count. */
    public PublishDriver(List<InetSocketAddress> servers, PublishFormat format) {
        this.servers = List.copyOf(servers);
        this.format = format;
    }

    private List<HttpPublisher> publishers() {
        List<HttpPublisher> publishers = new ArrayList<>(servers.size());
        for (InetSocketAddress server : servers) {
            publishers.add(new HttpPublisher(server, format));
        }
        return publishers;
    }

    private static void closeAll(List<HttpPublisher> publishers) {
        publishers.forEach(HttpPublisher::close);
    }

    /**
     * Publishes warm-up messages every {@code intervalMillis} until {@code done} holds or the
     * timeout passes; returns whether it held.
     */
    public boolean warmUp(String topic, BooleanSupplier done, long intervalMillis,
                          long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        List<HttpPublisher> publishers = publishers();
        try {
            long n = 0;
            while (!done.getAsBoolean()) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                publishers.get((int) (n % publishers.size())).publish(topic, Payload.warmup(n++));
                LockSupport.parkNanos(intervalMillis * 1_000_000L);
            }
            return true;
        } finally {
            closeAll(publishers);
        }
    }

    /**
     * Publishes warm-up messages (not counted) at {@code perSecond} for {@code millis}, so a JIT
     * compiler has seen the delivery path before anything is measured.
     *
     * @return how many were answered with 2xx
     */
    public long warmUpPaced(String topic, double perSecond, long millis) {
        long period = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        long ok = 0;
        List<HttpPublisher> publishers = publishers();
        try {
            for (long n = 0; System.nanoTime() - start < millis * 1_000_000L; n++) {
                long wait = start + n * period - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int status = publishers.get((int) (n % publishers.size())).publish(topic, Payload.warmup(n));
                if (status >= 200 && status < 300) {
                    ok++;
                }
            }
        } finally {
            closeAll(publishers);
        }
        return ok;
    }

    /**
     * Publishes {@code count} messages, sequence numbers 0 to count-1, one every 1/rate seconds
     * until {@code stop} holds (asked before each), open loop: each message is sent on time
     * whether or not earlier ones are answered yet, and stamped with when it was due, over at most
     * {@code connections} keep-alive connections ({@link OpenLoopPublishers}, where the counting is
     * described); {@code acknowledged} is told the highest sequence number up to which every one is
     * answered.
     */
    public PublishReport openLoop(String topic, int count, double perSecond, int connections, BooleanSupplier stop,
                                  IntConsumer acknowledged) {
        try {
            return new OpenLoopPublishers(servers, format, topic, connections).run(count, perSecond, stop, acknowledged);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    /**
     * Publishes over {@code connections} keep-alive connections, each sending its next message as
     * soon as the previous one is answered, for {@code durationMillis}; all of them on one thread
     * ({@link FlatOutPublishers}, where the counting is described). Sequence numbers are unique over
     * all connections; a message still unanswered at the end is neither ok nor an error.
     */
    public PublishReport flatOut(String topic, int connections, long durationMillis) throws InterruptedException {
        try {
            return new FlatOutPublishers(servers, format, topic, connections).run(durationMillis);
        } catch (IOException e) {
            throw new UncheckedIOException("the publishers' selector failed", e);
        }
    }
}
