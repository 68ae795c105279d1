package io.ssehub.bench.scenario;

import io.ssehub.bench.load.PublishDriver;
import io.ssehub.bench.load.PublishReport;
import io.ssehub.bench.load.SubscriberPool;
import io.ssehub.bench.stats.CpuMeter;
import io.ssehub.bench.stats.Proc;
import io.ssehub.bench.target.Target;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * (g) Reconnect storm: many streams on one topic, all dropped by their clients at once and
 * reconnected at once with the {@code Last-Event-ID} of the last event each received, as an
 * {@code EventSource} does, while a publisher keeps publishing at a steady rate throughout, open
 * loop: on time whether or not its earlier messages are answered yet.
 *
 * <p>Timeline: open the streams (timed: {@code connect s}) and warm up as (a) does; start
 * publishing measured messages; after {@code g-before-seconds} drop every stream; {@code reconnect s}
 * is the time from the drop until every client streams again, {@code complete s} until every client
 * holds every message acknowledged by then (history replayed, backlog written); publishing goes on
 * for {@code g-after-seconds} more, then every acknowledged message must reach every client.
 *
 * <p>A stream the server ends after the drop (ssehub ends a stream admitted over its limit with a
 * {@code retry:} when its grace is over) is resumed as an {@code EventSource} resumes it: after
 * that {@code retry:}, with the ID of its last complete event; its ledger goes on, so only what the
 * resumed stream fails to deliver is lost ({@code server closes}, {@code re-reconnects}). Where the
 * server counts the streams it ends by reason (ssehub's {@code GET /metrics}), the counts from just
 * before the drop to the end of the drain are figures of the run ({@code closed <reason>}).
 *
 * <p>A server that sends no event IDs (the floor, the Spring peer) cannot be resumed: its clients
 * reconnect without {@code Last-Event-ID}, only its reconnect time counts, and loss and
 * {@code complete s} are n/a.
 */
public final class ReconnectStormScenario implements Scenario {

    /**
     * The publisher's connections: it publishes open loop, so a server that answers slowly during
     * the storm still gets the rate asked (and as much to replay and fan out) as one that answers at
     * once; at 50/s this many allow answers 1.2 s late before the pace gives.
     */
    private static final int PUBLISH_CONNECTIONS = 64;

    @Override
    public String id() {
        return "g";
    }

    private static int streams(Params p) {
        return p.integer("g-streams", 10_000, 2_000);
    }

    private static double rate(Params p) {
        return p.number("g-rate", 50, 50);
    }

    @Override
    public String title(Params p) {
        return streams(p) + " streams dropped and resumed at once, publishing "
                + String.format(Locale.ROOT, "%.0f", rate(p)) + "/s";
    }

    /**
     * Every client back within 1.5 times nchan's time, and the first burst of streams open within
     * 1.1 times the container's floor's; loss and 503 answers (both must be 0) beside nchan's.
     */
    @Override
    public List<Goal> goals() {
        return List.of(new Goal(Peer.NCHAN, "reconnect s", false, 1.5),
                Goal.shown(Peer.NCHAN, "complete s", false),
                Goal.shown(Peer.NCHAN, "lost", false),
                Goal.shown(Peer.NCHAN, "503", false),
                Goal.shown(Peer.NCHAN, "connect s", false),
                new Goal(Peer.FLOOR, "connect s", false, 1.1),
                Goal.shown(Peer.FLOOR, "reconnect s", false),
                Goal.shown(Peer.SPRING, "reconnect s", false));
    }

    @Override
    public Measurement run(Target target, Params p) throws Exception {
        Measurement m = new Measurement();
        int count = streams(p);
        double rate = rate(p);
        long beforeMillis = (long) (p.number("g-before-seconds", 2, 2) * 1000);
        long afterMillis = (long) (p.number("g-after-seconds", 3, 3) * 1000);
        long timeoutMillis = (long) (p.number("g-timeout-seconds", 60, 60) * 1000);
        String topic = "bench-g-" + System.nanoTime();
        try (SubscriberPool pool = Subscribers.openAndWarm(target, topic, count, rate, p.warmupMillis(), m)) {
            if (!m.valid()) {
                return m;
            }
            m.put("connects/s", count / m.get("connect s"));
            CpuMeter server = CpuMeter.start(target.pids());
            CpuMeter generator = CpuMeter.start(List.of(Proc.self()));
            PublishDriver driver = new PublishDriver(target.addresses(), target.publishFormat());
            AtomicInteger acknowledged = new AtomicInteger(); // sequence numbers 0 to this - 1 are answered
            AtomicBoolean stop = new AtomicBoolean();
            int most = (int) (rate * (beforeMillis + afterMillis + 2 * timeoutMillis) / 1000) + 1;
            CompletableFuture<PublishReport> publishing = CompletableFuture.supplyAsync(
                    () -> driver.openLoop(topic, most, rate, PUBLISH_CONNECTIONS, stop::get,
                            seq -> acknowledged.set(seq + 1)),
                    task -> {
                        Thread thread = new Thread(task, "storm-publisher");
                        thread.setDaemon(true);
                        thread.start();
                    });
            try {
                int beforeDrop = (int) (rate * beforeMillis / 1000);
                SubscriberPool.await(() -> acknowledged.get() >= beforeDrop, beforeMillis + 10_000);
                int ackedAtDrop = acknowledged.get();
                Map<String, Long> closesBefore = closesByReason(target, m);
                long dropAt = System.nanoTime();
                pool.dropAndReconnect();
                boolean back = SubscriberPool.await(() -> pool.dropped() + pool.closedByServer() >= count
                        && pool.reconnected() >= pool.dropped(), timeoutMillis);
                // Not all back: the wait's length is no reconnect time, and a ratio against it would flatter.
                m.put("reconnect s", back ? (System.nanoTime() - dropAt) / 1e9 : Double.NaN);
                m.put("not back", pool.dropped() - pool.reconnected());
                if (pool.refusedSubscribers() > 0) {
                    m.put("last refusal s", (pool.lastRefusalNanos() - dropAt) / 1e9);
                }
                int ackedAtBack = acknowledged.get();
                m.put("gap messages", ackedAtBack - ackedAtDrop);
                boolean resumable = pool.dropped() > 0 && pool.droppedWithId() == pool.dropped();
                if (!back) {
                    m.invalid((pool.dropped() - pool.reconnected()) + " of " + pool.dropped()
                            + " clients were not streaming again " + timeoutMillis / 1000 + " s after the drop");
                } else if (resumable) {
                    if (awaitPrefix(pool, ackedAtBack, quietNanos(p), timeoutMillis)) {
                        m.put("complete s", (System.nanoTime() - dropAt) / 1e9);
                    } else {
                        m.put("complete s", Double.NaN);
                        m.note("some clients never got every message published before all were back");
                    }
                }
                SubscriberPool.await(() -> false, afterMillis);
                stop.set(true);
                PublishReport published = publishing.get(30, TimeUnit.SECONDS);
                // A server without resume loses the gap, so its clients never reach acknowledged x clients.
                FanOutScenario.drain(pool, published.ok() * count, resumable ? quietNanos(p) : 1_000_000_000L);
                if (closesBefore != null) {
                    recordCloses(m, closesBefore, closesByReason(target, m));
                }
                m.put("server sys %", server.systemPercent());
                m.put("server cpu %", server.percent());
                m.put("generator cpu %", generator.percent());
                pool.close();
                record(m, pool, published, pool.tally(published.acked()), resumable);
                FanOutScenario.noteShortRate(m, published.okPerSecond(), rate);
            } finally {
                stop.set(true);
            }
        }
        return m;
    }

    /** The server's count of the streams it ended, by reason; null (and a note) when it could not be read. */
    private static Map<String, Long> closesByReason(Target target, Measurement m) throws InterruptedException {
        try {
            return target.streamClosesByReason();
        } catch (IOException e) {
            m.note("the server's stream closes by reason could not be read: " + e.getMessage());
            return null;
        }
    }

    /** {@code closed <reason>}: the streams the server ended for each reason from the drop to the end of the drain. */
    private static void recordCloses(Measurement m, Map<String, Long> before, Map<String, Long> after) {
        if (after == null) {
            return;
        }
        after.forEach((reason, count) -> {
            long closed = count - before.getOrDefault(reason, 0L);
            if (closed > 0) {
                m.put("closed " + reason, closed);
            }
        });
    }

    private static long quietNanos(Params p) {
        return (long) (p.number("drain-quiet-seconds", 10, 10) * 1e9);
    }

    /**
     * Waits until every client still listening holds every message below {@code prefix}; gives up
     * when the least of them has not moved for {@code quietNanos} (a message lost for good) or after
     * {@code timeoutMillis}. Returns whether they all got there.
     */
    private static boolean awaitPrefix(SubscriberPool pool, int prefix, long quietNanos, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int last = -1;
        long since = System.nanoTime();
        while (pool.minPrefix() < prefix) {
            int now = pool.minPrefix();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > quietNanos || System.nanoTime() - deadline > 0) {
                return false;
            }
            SubscriberPool.await(() -> pool.minPrefix() >= prefix, 20);
        }
        return true;
    }

    private static void record(Measurement m, SubscriberPool pool, PublishReport published, SubscriberPool.Tally tally,
                               boolean resumable) {
        m.put("dropped", pool.dropped());
        m.put("resumed with id", pool.droppedWithId());
        m.put("reconnect p50 s", tally.reconnectTimes().quantileNanos(0.50) / 1e9);
        m.put("reconnect p99 s", tally.reconnectTimes().quantileNanos(0.99) / 1e9);
        m.put("reconnect attempts", pool.reconnectAttempts());
        m.put("503", pool.answers503());
        m.put("other non-200", pool.answersOther());
        m.put("clients refused", pool.refusedSubscribers());
        m.put("reconnect errors", pool.reconnectErrors());
        m.put("server closes", pool.serverCloses());
        m.put("re-reconnects", pool.reReconnected());
        m.put("published", published.ok());
        m.put("publish errors", published.errors());
        m.put("publish/s", published.okPerSecond());
        m.put("expected", tally.expected());
        m.put("received", tally.received());
        m.put("lost", resumable ? tally.lost() : Double.NaN);
        m.put("lost announced", resumable ? tally.lostAnnounced() : Double.NaN);
        m.put("reset events", tally.resets());
        m.put("duplicates", tally.duplicates());
        if (!resumable) {
            m.put("complete s", Double.NaN);
            m.note("no event IDs to resume from: loss and complete s are n/a");
        } else if (tally.lost() > 0) {
            m.invalid(tally.lost() + " deliveries lost: " + tally.lossDetail());
            if (tally.lostAnnounced() > 0) {
                m.note(tally.lostAnnounced() + " of them announced by an event: reset");
            }
        }
        int away = pool.serverCloses() - pool.reReconnected();
        if (away > 0) {
            m.note(away + " clients were still waiting to reconnect after a server close when the run ended");
        }
        if (pool.answers503() > 0 || pool.answersOther() > 0) {
            m.note(pool.answers503() + " answers 503 and " + pool.answersOther() + " other non-200 answers to "
                    + pool.refusedSubscribers() + " clients' subscription requests (retried after 1 s)");
        }
        if (tally.duplicates() > 0 && resumable) {
            m.invalid(tally.duplicates() + " duplicate deliveries");
        } else if (tally.duplicates() > 0) {
            // A publish still writing to every stream meets the new one after the client got it on the old.
            m.note(tally.duplicates() + " duplicate deliveries (without IDs a client cannot tell)");
        }
        FanOutScenario.invalidIfBroken(m, tally, published);
    }
}
