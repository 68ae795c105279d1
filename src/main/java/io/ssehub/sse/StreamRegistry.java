package io.ssehub.sse;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open stream of this application, for keep-alives, deadlines and shutdown, and the count of
 * streams admitted per node and per client address.
 *
 * <p>Thread-safe. Once {@link #closeAll} or {@link #finishAll} has run, {@link #add} refuses new streams, so none can
 * slip in behind a shutdown.
 * <p>A stream is first {@linkplain #admit admitted} (before the request goes async, so a refused
 * stream is never opened), then {@linkplain #add added} once built, and finally
 * {@linkplain #remove removed} and {@linkplain #release released} when it closes.
 *
 * <p>Thread-safe. Once {@link #closeAll} has run, {@link #admit} and {@link #add} refuse new
 * streams, so none can slip in behind a shutdown.
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

    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final int maxStreams;
    private final int maxPerClient;
    private final AtomicInteger admitted = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();
    private volatile boolean shutDown;

    /** No limits. */
    public StreamRegistry() {
        this(Integer.MAX_VALUE, 0);
    }

    /**
     * @param maxStreams   streams this node admits at once
     * @param maxPerClient streams one client address may hold at once; 0 for no limit
     */
    public StreamRegistry(int maxStreams, int maxPerClient) {
        this.maxStreams = maxStreams;
        this.maxPerClient = maxPerClient;
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

    /** Asks every stream quiet for at least {@code quietNanos} to send a comment frame. */
    public void heartbeat(long quietNanos) {
        for (SseStream stream : streams) {
            stream.heartbeat(quietNanos);
        }
    }

    /** Closes every stream that overflowed more than {@code graceNanos} ago and is still writing. */
    public void enforceOverflowGrace(long graceNanos) {
        for (SseStream stream : streams) {
            stream.enforceOverflowGrace(graceNanos);
        }
    }

    /** Closes every stream whose deadline (such as its token's expiry) has passed, or whose credential was revoked. */
    public void enforceDeadlines() {
        long now = System.nanoTime();
        for (SseStream stream : streams) {
            stream.enforceDeadline(now);
        }
    }

    /** Closes every stream open for longer than {@code lifetimeNanos}; its client resumes by id. */
    public void closeOlderThan(long lifetimeNanos) {
        for (SseStream stream : streams) {
            if (stream.ageNanos() > lifetimeNanos) {
                stream.close(CloseReason.LIFETIME);
            }
        }
    }

    /** Closes every open stream but keeps accepting new ones; their clients reconnect and resume by id. */
    public void closeEvery(CloseReason reason) {
        for (SseStream stream : List.copyOf(streams)) {
            stream.close(reason);
        }
    }

    /**
     * Refuses new streams and asks every open one to write what it has queued, then a frame of
     * its own from {@code lastFrame} (a {@code retry:} hint), and close with {@code reason}.
     */
    public void finishAll(Supplier<byte[]> lastFrame, CloseReason reason) {
        shutDown = true;
        for (SseStream stream : List.copyOf(streams)) {
            stream.finish(lastFrame.get(), reason);
        }
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
