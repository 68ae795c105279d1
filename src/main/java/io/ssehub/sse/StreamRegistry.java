package io.ssehub.sse;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
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
 * <p>A stream that finds the node full may still open, on {@linkplain Admission#OVERDRAWN overdraft},
 * for a while: in a reconnect storm every client comes back at once, sooner than the probes can
 * notice that its previous connection is gone, so the slots it needs are still held by its own
 * ghosts, which are released within about a second. A refusal would stop an {@code EventSource}
 * for good; an overdraft is repaid as the ghosts go, and whatever is still over the limit when
 * the grace ends is {@linkplain #settleOverdrafts dismissed} (newest first), so its clients resume by
 * id after a jittered {@code retry:}. At most as many again as the limit
 * are admitted: a storm at the limit brings back a client for every ghost.
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
        /**
         * Admitted over the node's limit, for a grace: the caller must {@link #release} once, as
         * for {@link #ADMITTED}, and hand the stream to {@link #overdrawn} once it is built.
         */
        OVERDRAWN,
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
    private final long graceNanos;
    private final int maxOverdraft;
    /** Streams opened over the limit, oldest first, each with the end of its grace. */
    private final ConcurrentLinkedDeque<Overdraft> overdrafts = new ConcurrentLinkedDeque<>();
    private volatile boolean shutDown;
    /** Where the next probe round starts when a round may not probe every stream; the scheduler's only. */
    private int probeCursor;
    /** Streams added since the last probe round began: their opening writes spent that much of its budget. */
    private final AtomicInteger openedSinceProbe = new AtomicInteger();

    /** A stream opened over the limit; its grace ends at {@code deadline} ({@link System#nanoTime()}). */
    private record Overdraft(SseStream stream, long deadline) {
    }

    /** No limits; mass closes run on the caller's thread with a bare {@code retry:} hint. */
    public StreamRegistry() {
        this(Integer.MAX_VALUE, 0, () -> SseEncoder.retry(1_000), Runnable::run, 0);
    }

    /**
     * @param maxStreams   streams this node admits at once
     * @param maxPerClient streams one client address may hold at once; 0 for no limit
     * @param farewell     the last frame of each stream a mass close ends, made anew for each
     *                     (a {@code retry:} hint with jitter)
     * @param closer       where mass closes run; when it refuses (it was shut down), the caller's thread
     * @param graceNanos   how long a stream may stay open over {@code maxStreams} ({@link Admission#OVERDRAWN});
     *                     0 refuses it at once
     */
    public StreamRegistry(int maxStreams, int maxPerClient, Supplier<byte[]> farewell, Executor closer, long graceNanos) {
        this.maxStreams = maxStreams;
        this.maxPerClient = maxPerClient;
        this.farewell = farewell;
        this.closer = closer;
        this.graceNanos = graceNanos;
        this.maxOverdraft = graceNanos > 0 ? maxStreams : 0; // every stream's ghost, in a storm at the limit
    }

    /** Counts a stream about to open for {@code client}, unless a limit says no. */
    public Admission admit(String client) {
        if (shutDown) {
            return Admission.SHUT_DOWN;
        }
        int streamsNow = admitted.incrementAndGet();
        if (streamsNow > maxStreams + maxOverdraft) {
            admitted.decrementAndGet();
            return Admission.NODE_FULL;
        }
        Admission admission = streamsNow > maxStreams ? Admission.OVERDRAWN : Admission.ADMITTED;
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
        return admission;
    }

    /** Gives back what {@link #admit} counted for {@code client}. */
    public void release(String client) {
        admitted.decrementAndGet();
        if (maxPerClient > 0) {
            perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Starts the grace of a stream {@link #admit} let open over the limit ({@link Admission#OVERDRAWN}). */
    public void overdrawn(SseStream stream) {
        overdrafts.addLast(new Overdraft(stream, System.nanoTime() + graceNanos));
    }

    /**
     * Ends the grace of every overdraft whose time is up: as long as more streams are admitted
     * than the limit, the newest of them are dismissed (their clients resume by id after a
     * jittered {@code retry:}); the rest have been repaid by streams that closed meanwhile.
     */
    public void settleOverdrafts() {
        long now = System.nanoTime();
        List<SseStream> due = new ArrayList<>();
        for (Overdraft overdraft; (overdraft = overdrafts.peekFirst()) != null && now - overdraft.deadline() >= 0; ) {
            if (overdrafts.removeFirstOccurrence(overdraft)) {
                due.add(overdraft.stream());
            }
        }
        int over = admitted.get() - maxStreams;
        for (int i = due.size() - 1; i >= 0 && over > 0; i--) {
            SseStream stream = due.get(i);
            if (!stream.isClosed()) {
                stream.finish(farewell.get(), CloseReason.OVER_LIMIT);
                over--;
            }
        }
    }

    /** Returns {@code false} when the application is shutting down; the caller must not open it. */
    public boolean add(SseStream stream) {
        streams.add(stream);
        if (shutDown) {
            streams.remove(stream);
            return false;
        }
        openedSinceProbe.incrementAndGet();
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
     * One round of probes, run every {@code intervalNanos}: asks resting streams that wrote
     * nothing for half of that to write an empty comment line, which no client dispatches. A write
     * is how a container learns that the client closed its connection (the first one draws the
     * peer's reset, the next fails), so a client that left is released within two rounds. Half:
     * the previous round's own probe was written just after that round began, a little less than
     * an interval ago; a stream quiet but for it must be probed again, or it would be probed every
     * other round only, and released after up to four intervals.
     *
     * <p>At most {@code maxPerSecond} probes a second are written (0: no limit): with more quiet
     * streams than a round's share, each round probes the next share after where the last one
     * stopped, so every stream is probed in turn, less often. Each probe is a write into the
     * container (about 14 µs of CPU on Jetty): 10,000 idle streams probed every 500 ms took a
     * quarter of a core and a fifth longer to open. Streams that opened since the last round
     * spend the same budget, one write each (their head and first frame): probes are housekeeping,
     * and yield while the node is busy opening streams (a deploy, a reconnect storm), then catch up.
     * While more streams are admitted than the node's limit (a reconnect storm at the limit, its
     * clients' ghosts still counted) every quiet stream is probed every round, so that the ghosts go
     * within the overdraft's grace.
     *
     * <p>Runs on one thread at a time (the scheduler).
     */
    public void probe(long intervalNanos, int maxPerSecond) {
        long quietNanos = intervalNanos / 2;
        long now = System.nanoTime();
        int opened = openedSinceProbe.getAndSet(0);
        int budget = maxPerSecond <= 0 || admitted.get() > maxStreams ? Integer.MAX_VALUE
                : (int) Math.ceil(maxPerSecond * (intervalNanos / 1e9)) - opened;
        if (budget <= 0 || streams.isEmpty()) {
            // The round's budget went on opening streams; the cursor stays for the next. Decided
            // before the streams are copied: during a connect burst, round after round probes nothing.
            return;
        }
        SseStream[] all = streams.toArray(new SseStream[0]);
        int share = Math.min(all.length, budget);
        // If the last stream left since the check above, all is empty and share 0: no modulo by zero.
        int start = share >= all.length ? 0 : probeCursor % all.length;
        Map<Executor, List<SseStream>> byLane = new IdentityHashMap<>();
        int probed = 0;
        int seen = 0;
        for (; seen < all.length && probed < share; seen++) {
            SseStream stream = all[(start + seen) % all.length];
            if (stream.wantsProbe(quietNanos, now)) {
                probed++;
                Executor lane = stream.lane();
                List<SseStream> batch = byLane.computeIfAbsent(lane, l -> new ArrayList<>(PROBE_BATCH));
                batch.add(stream);
                if (batch.size() == PROBE_BATCH) {
                    probeOnLane(lane, batch);
                    byLane.remove(lane);
                }
            }
        }
        probeCursor = start + seen;
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
     * and still could not write what it had, and every stream whose deadline (such as its token's
     * expiry) has passed or whose credential was revoked: one pass and one reading of the clock for
     * both, as it runs several times a second over every stream (on a freshly started JVM, during a
     * connect burst, such sweeps run interpreted).
     */
    public void enforce(long graceNanos) {
        long now = System.nanoTime();
        for (SseStream stream : streams) {
            stream.enforce(graceNanos, now);
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
     * {@link #enforce}. Returns at once; safe from any thread.
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

    /** The streams open now. */
    public List<SseStream> snapshot() {
        return List.copyOf(streams);
    }

    /**
     * Waits, at most {@code millis}, until the container has finished the requests of
     * {@code closed} (their {@code onComplete}); returns whether it has. A container finishes a
     * request after the application completed it, on a thread of its own that runs with the
     * application's class loader: an undeploy that went on meanwhile would find that thread still
     * in the application (Tomcat warns of a leak).
     */
    public static boolean awaitContainers(List<SseStream> closed, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (SseStream stream : closed) {
            while (!stream.containerDone()) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
        return true;
    }

    /** Refuses new streams and closes every open one. */
    public void closeAll(CloseReason reason) {
        shutDown = true;
        for (SseStream stream : List.copyOf(streams)) {
            stream.close(reason);
        }
    }
}
