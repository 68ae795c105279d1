package io.ssehub.bench.load;

import io.ssehub.bench.stats.LatencyHistogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Many SSE subscribers of one path, spread over a few selector threads.
 *
 * <p>Lifecycle: construct, {@link #open} the subscribers, watch the live counters (safe from any
 * thread), then {@link #close()} once and read {@link #tally}. Counting is exact: every subscriber
 * books each measured sequence number once, and repeats are counted as duplicates. A subscriber
 * that is dropped and reconnects ({@link #dropAndReconnect}) stays the same subscriber: its ledger
 * and its last event ID carry over, as an {@code EventSource}'s do.
 */
public final class SubscriberPool implements AutoCloseable {

    private final List<SelectorLoop> loops = new ArrayList<>();
    private final PoolCounters counters = new PoolCounters();
    private boolean closed;

    /**
     * @param server        where to connect (a loopback address)
     * @param path          the event-stream path, e.g. {@code /events/news}
     * @param threads       selector threads
     * @param maxConnecting connections per thread that may wait for their response head at once
     */
    public SubscriberPool(InetSocketAddress server, String path, int threads, int maxConnecting) throws IOException {
        this(List.of(server), path, threads, maxConnecting);
    }

    /** Subscribers split over several servers (nodes of one cluster): thread i connects to server i mod count. */
    public SubscriberPool(List<InetSocketAddress> servers, String path, int threads, int maxConnecting) throws IOException {
        for (int i = 0; i < threads; i++) {
            InetSocketAddress server = servers.get(i % servers.size());
            String requestHead = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                    + "Accept: text/event-stream\r\n"
                    + "Cache-Control: no-cache\r\n";
            SelectorLoop loop = new SelectorLoop("subscribers-" + i, server, requestHead, counters, maxConnecting);
            loops.add(loop);
            loop.start();
        }
    }

    /** Starts opening {@code count} more subscribers, spread evenly over the threads. */
    public void open(int count) {
        int n = loops.size();
        for (int i = 0; i < n; i++) {
            loops.get(i).open(count / n + (i < count % n ? 1 : 0));
        }
    }

    /** Subscribers whose response head was 200. */
    public int connected() {
        return counters.connected.get();
    }

    /** Subscribers that could not connect, got a non-200 answer or broke before streaming. */
    public int failed() {
        return counters.failed.get();
    }

    /** Streams that the server ended while we were still listening, before any drop (after it, see {@link #serverCloses()}). */
    public int closedByServer() {
        return counters.closedByServer.get();
    }

    /**
     * Drops every open stream at once and reconnects each subscriber with the {@code Last-Event-ID}
     * of the last event it received (none if it received no ID); refused or failed reconnections are
     * counted and retried after {@value SelectorLoop#RETRY_MILLIS} ms. Watch {@link #reconnected()}.
     */
    public void dropAndReconnect() {
        loops.forEach(SelectorLoop::dropAndReconnect);
    }

    /** Streams dropped by {@link #dropAndReconnect}. */
    public int dropped() {
        return counters.dropped.get();
    }

    /** Dropped streams that had an event ID to resume from. */
    public int droppedWithId() {
        return counters.droppedWithId.get();
    }

    /** Dropped subscribers streaming again (a 200 head on a reconnection). */
    public int reconnected() {
        return counters.reconnected.get();
    }

    /**
     * Streams the server ended (its response's end, a close or a reset) after the drop; each is
     * reconnected after the server's last {@code retry:}, as an {@code EventSource} does.
     */
    public int serverCloses() {
        return counters.serverCloses.get();
    }

    /** Reconnections after a {@linkplain #serverCloses() server close} answered 200. */
    public int reReconnected() {
        return counters.reReconnected.get();
    }

    /** Reconnection attempts, first ones and retries. */
    public int reconnectAttempts() {
        return counters.reconnectAttempts.get();
    }

    /** Reconnection attempts that got no answer at all (connection refused, reset or closed before the head). */
    public int reconnectErrors() {
        return counters.reconnectErrors.get();
    }

    /** Subscription requests (first or reconnection) answered 503. */
    public int answers503() {
        return counters.status503.get();
    }

    /** Subscribers answered with another status than 200 at least once. */
    public int refusedSubscribers() {
        return counters.refusedSubscribers.get();
    }

    /** The {@link System#nanoTime()} of the last answer with another status than 200; meaningful when there was one. */
    public long lastRefusalNanos() {
        return counters.lastRefusal.get();
    }

    /** Subscription requests answered with a status other than 200 and 503. */
    public int answersOther() {
        return counters.statusOther.get();
    }

    /**
     * After {@link #dropAndReconnect}: how many sequence numbers from 0 on every subscriber not closed
     * has received, updated every 10 ms ({@link Integer#MAX_VALUE} when none is left); 0 before.
     */
    public int minPrefix() {
        int min = Integer.MAX_VALUE;
        for (SelectorLoop loop : loops) {
            min = Math.min(min, loop.minPrefix());
        }
        return min;
    }

    /** Subscribers that received at least one warm-up message. */
    public int warmedUp() {
        return counters.warmedUp.get();
    }

    /** Receipts of warm-up messages so far, over all subscribers. */
    public long warmupReceipts() {
        return counters.warmupReceipts.sum();
    }

    /**
     * Waits until no warm-up message has arrived for {@code quietMillis}, at most
     * {@code timeoutMillis}; returns whether it got quiet.
     */
    public boolean awaitWarmupQuiet(long quietMillis, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            long now = warmupReceipts();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= quietMillis * 1_000_000L) {
                return true;
            }
            await(() -> false, 20);
        }
        return false;
    }

    /** First receipts of measured messages so far, over all subscribers. */
    public long delivered() {
        return counters.delivered.sum();
    }

    /**
     * Waits until {@code condition} holds or {@code timeoutMillis} pass, polling every 5 ms.
     *
     * @return whether the condition held
     */
    public static boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Stops every loop and closes every connection. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        for (SelectorLoop loop : loops) {
            loop.stop();
        }
    }

    /**
     * Counts everything against the set of acknowledged sequence numbers. Call after {@link #close()}.
     *
     * @param expected the sequence numbers every subscriber should have received
     */
    public Tally tally(BitSet expected) {
        if (!closed) {
            throw new IllegalStateException("close() the pool first");
        }
        LatencyHistogram latency = new LatencyHistogram();
        LatencyHistogram reconnectTimes = new LatencyHistogram();
        long received = 0;
        long duplicates = 0;
        long lost = 0;
        long unexpected = 0;
        long lostAnnounced = 0;
        long resets = 0;
        long malformed = 0;
        long other = 0;
        int subscribers = 0;
        int lossy = 0;
        List<String> losses = new ArrayList<>();
        int expectedEach = expected.cardinality();
        for (SelectorLoop loop : loops) {
            latency.add(loop.latency());
            reconnectTimes.add(loop.reconnectTimes());
            for (SubscriberConnection connection : loop.connections()) {
                subscribers++;
                Ledger ledger = connection.ledger;
                received += ledger.unique();
                duplicates += ledger.duplicates();
                BitSet missing = ledger.missing(expected);
                if (!missing.isEmpty()) {
                    lost += missing.cardinality();
                    lostAnnounced += ledger.announcedMissing(missing).cardinality();
                    lossy++;
                    if (losses.size() < LOSSES_SHOWN) {
                        losses.add(describe(missing, ledger.lastSeen()));
                    }
                }
                unexpected += ledger.unexpected(expected);
                malformed += ledger.malformedCount();
                other += ledger.otherEvents();
                resets += ledger.resets();
            }
        }
        String lossDetail = lost == 0 ? "" : lossy + " of " + subscribers + " subscribers missed messages; "
                + String.join("; ", losses) + (lossy > losses.size() ? "; ..." : "");
        return new Tally(subscribers, counters.connected.get(), counters.failed.get(),
                counters.closedByServer.get(), (long) expectedEach * subscribers, received, duplicates,
                lost, lostAnnounced, lossDetail, unexpected, malformed, other, resets, latency, reconnectTimes);
    }

    private static final int LOSSES_SHOWN = 3;

    /** One subscriber's loss: how many, which (the first few) and how far it got, to tell a stalled stream from gaps. */
    private static String describe(BitSet missing, int lastSeen) {
        StringBuilder which = new StringBuilder();
        int shown = 0;
        for (int seq = missing.nextSetBit(0); seq >= 0 && shown < 5; seq = missing.nextSetBit(seq + 1), shown++) {
            which.append(shown == 0 ? "" : ",").append(seq);
        }
        return missing.cardinality() + " missed (" + which + (missing.cardinality() > shown ? ",..." : "")
                + "), last received " + lastSeen;
    }

    /**
     * The exact outcome of one pool.
     *
     * @param subscribers    subscribers attempted
     * @param connected      subscribers that got a 200 head
     * @param failed         subscribers that never streamed
     * @param closedByServer streams ended by the server before the pool closed
     * @param expected       acknowledged messages times subscribers attempted
     * @param received       distinct measured messages received, summed over subscribers
     * @param duplicates     repeated receipts of a message by the same subscriber
     * @param lost           expected receipts that never arrived
     * @param lostAnnounced  those of {@code lost} in a gap an {@code event: reset} announced ({@link Ledger})
     * @param lossDetail     when some were lost: how many subscribers lost any, and which messages the first few missed
     * @param unexpected     distinct received messages that no publisher saw acknowledged
     * @param malformed      message events whose data was not a benchmark payload
     * @param otherEvents    events of another type (such as {@code ready})
     * @param resets         {@code event: reset} received, summed over subscribers
     * @param latency        publish-to-receipt latency of each first receipt
     * @param reconnectTimes from the drop ({@link #dropAndReconnect}) to each reconnected stream's 200 head
     */
    public record Tally(int subscribers, int connected, int failed, int closedByServer, long expected,
                        long received, long duplicates, long lost, long lostAnnounced, String lossDetail,
                        long unexpected, long malformed, long otherEvents, long resets, LatencyHistogram latency,
                        LatencyHistogram reconnectTimes) {

        /** Received over expected among acknowledged messages; 1.0 means nothing was lost. */
        public double deliveredRatio() {
            return expected == 0 ? 0 : (double) (expected - lost) / expected;
        }
    }
}
