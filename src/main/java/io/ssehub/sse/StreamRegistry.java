package io.ssehub.sse;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Every open stream of this application, for keep-alives, deadlines and server-side closes, and
 * the count of streams admitted per node and per client address.
 *
 * <p>A stream is first {@linkplain #admit admitted} (before the request goes async, so a refused
 * stream is never opened), then {@linkplain #add added} once subscribed, and finally
 * {@linkplain #remove removed} and {@linkplain #release released}, once, when it closes.
 *
 * <p>Server-side mass closes (a backplane resync, {@linkplain #dismissOlderThan maximum lifetime},
 * {@linkplain #finishAll shutdown}) are one operation, {@link #dismiss}: it runs on the registry's
 * closer (never on the caller's thread, which may be an I/O thread of a client library), and asks
 * each stream to write what it has queued, then its own farewell (a {@code retry:} hint with
 * jitter, so the clients do not all come back at once), and close.
 *
 * <p>Thread-safe. Once {@link #closeAll} or {@link #finishAll} has run, {@link #admit} and
 * {@link #add} refuse new streams, so none can slip in behind a shutdown.
 */
public final class StreamRegistry {

    /** The answer to {@link #admit}. */
    public enum Admission {
        /** Admitted; the caller must {@link #release} once, whatever happens next. */
        ADMITTED,
        /** The node holds as many streams as it may. */
        NODE_FULL,
        /** This client address holds as many streams as it may. */
        CLIENT_FULL,
        /** The application is shutting down. */
        SHUT_DOWN
    }

    /** Streams a probe sweep hands to their lane in one task. */
    private static final int PROBE_BATCH = 128;

    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final int maxStreams;
    private final int maxPerClient;
    private final AtomicInteger admitted = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();
    private final Supplier<byte[]> farewell;
    private final Executor closer;
    private volatile boolean shutDown;

    /** No limits; mass closes run on the caller's thread with a bare {@code retry:} hint. */
    public StreamRegistry() {
        this(Integer.MAX_VALUE, 0, () -> SseEncoder.retry(1_000), Runnable::run);
    }

    /**
     * @param maxStreams   streams this node admits at once
     * @param maxPerClient streams one client address may hold at once; 0 for no limit
     * @param farewell     the last frame of each stream a mass close ends, made anew for each
     *                     (a {@code retry:} hint with jitter)
     * @param closer       where mass closes run; when it refuses (it was shut down), the caller's thread
     */
    public StreamRegistry(int maxStreams, int maxPerClient, Supplier<byte[]> farewell, Executor closer) {
        this.maxStreams = maxStreams;
        this.maxPerClient = maxPerClient;
        this.farewell = farewell;
        this.closer = closer;
    }

    /** Counts a stream about to open for {@code client}, unless a limit says no. */
    public Admission admit(String client) {
        if (shutDown) {
            return Admission.SHUT_DOWN;
        }
        if (admitted.incrementAndGet() > maxStreams) {
            admitted.decrementAndGet();
            return Admission.NODE_FULL;
        }
        if (maxPerClient > 0) {
            boolean[] full = new boolean[1];
            perClient.compute(client, (k, n) -> {
                int count = n == null ? 0 : n;
                full[0] = count >= maxPerClient;
                return full[0] ? n : count + 1;
            });
            if (full[0]) {
                admitted.decrementAndGet();
                return Admission.CLIENT_FULL;
            }
        }
        return Admission.ADMITTED;
    }

    /** Gives back what {@link #admit} counted for {@code client}. */
    public void release(String client) {
        admitted.decrementAndGet();
        if (maxPerClient > 0) {
            perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Returns {@code false} when the application is shutting down; the caller must not open it. */
    public boolean add(SseStream stream) {
        streams.add(stream);
        if (shutDown) {
            streams.remove(stream);
            return false;
        }
        return true;
    }

    public void remove(SseStream stream) {
        if (streams.remove(stream) && streams.isEmpty()) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    public boolean isShutDown() {
        return shutDown;
    }

    public int size() {
        return streams.size();
    }

    /** Streams admitted and not yet released, including those still opening. */
    public int admitted() {
        return admitted.get();
    }

    /**
     * One round of probes, run every {@code intervalNanos}: asks every resting stream that wrote
     * nothing for half of that to write an empty comment line, which no client dispatches. A write
     * is how a container learns that the client closed its connection (the first one draws the
     * peer's reset, the next fails), so a client that left is released within two rounds. Half:
     * the previous round's own probe was written just after that round began, a little less than
     * an interval ago; a stream quiet but for it must be probed again, or it would be probed every
     * other round only, and released after up to four intervals.
     */
    public void probe(long intervalNanos) {
        long quietNanos = intervalNanos / 2;
        long now = System.nanoTime();
        Map<Executor, List<SseStream>> byLane = new IdentityHashMap<>();
        for (SseStream stream : streams) {
            if (stream.wantsProbe(quietNanos, now)) {
                Executor lane = stream.lane();
                List<SseStream> batch = byLane.computeIfAbsent(lane, l -> new ArrayList<>(PROBE_BATCH));
                batch.add(stream);
                if (batch.size() == PROBE_BATCH) {
                    probeOnLane(lane, batch);
                    byLane.remove(lane);
                }
            }
        }
        byLane.forEach(StreamRegistry::probeOnLane);
    }

    /**
     * Probes {@code batch} in one task on their lane: a few tasks a lane per sweep rather than one
     * per stream; in batches, so that a lane's other streams wait for a batch, not a whole sweep.
     */
    private static void probeOnLane(Executor lane, List<SseStream> batch) {
        try {
            lane.execute(() -> {
                for (SseStream stream : batch) {
                    stream.probeOnLane();
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the writers are gone: the streams are being closed, there is nothing left to probe
        }
    }

    /** Asks every stream quiet for at least {@code quietNanos} to send a comment frame. */
    public void heartbeat(long quietNanos) {
        for (SseStream stream : streams) {
            stream.heartbeat(quietNanos);
        }
    }

    /**
     * Closes every stream that overflowed, or was asked to finish, more than {@code graceNanos} ago
     * and still could not write what it had.
     */
    public void enforceGrace(long graceNanos) {
        for (SseStream stream : streams) {
            stream.enforceGrace(graceNanos);
        }
    }

    /** Closes every stream whose deadline (such as its token's expiry) has passed, or whose credential was revoked. */
    public void enforceDeadlines() {
        long now = System.nanoTime();
        for (SseStream stream : streams) {
            stream.enforceDeadline(now);
        }
    }

    /** Dismisses every stream open for longer than {@code lifetimeNanos}; its client resumes by id. */
    public void dismissOlderThan(long lifetimeNanos) {
        dismiss(stream -> stream.ageNanos() > lifetimeNanos, CloseReason.LIFETIME);
    }

    /**
     * Ends every stream that {@code which} selects, on the {@linkplain #StreamRegistry closer}:
     * each writes what it has queued, then its farewell, and closes with {@code reason}; its client
     * comes back after the hint and resumes by id. A stream that cannot write is closed by
     * {@link #enforceGrace}. Returns at once; safe from any thread.
     */
    public void dismiss(Predicate<SseStream> which, CloseReason reason) {
        Runnable dismissal = () -> {
            for (SseStream stream : streams) {
                if (which.test(stream)) {
                    stream.finish(farewell.get(), reason);
                }
            }
        };
        try {
            closer.execute(dismissal);
        } catch (RejectedExecutionException stopping) {
            dismissal.run();
        }
    }

    /**
     * Refuses new streams and {@linkplain #dismiss dismisses} every open one; {@link #awaitEmpty}
     * waits for them.
     */
    public void finishAll(CloseReason reason) {
        shutDown = true;
        dismiss(stream -> true, reason);
    }

    /** Waits until no stream is open, at most {@code millis}; returns whether none is. */
    public boolean awaitEmpty(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (this) {
            while (!streams.isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return true;
        }
    }

    /** Refuses new streams and closes every open one. */
    public void closeAll(CloseReason reason) {
        shutDown = true;
        for (SseStream stream : List.copyOf(streams)) {
            stream.close(reason);
        }
    }
}
