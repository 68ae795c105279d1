package io.ssehub.bench.load;

import io.ssehub.bench.stats.LatencyHistogram;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes at a fixed rate whatever the pace of the answers (open loop): message n is sent at
 * start + n / rate on a keep-alive connection that is not waiting for an answer, opened when none
 * is free, at most {@code connections} of them (then, and only then, the next message waits for
 * an answer). A server that answers slowly under load so gets as many messages to deliver as one
 * that answers at once; with one connection waiting for each answer (closed loop), a server slow
 * to answer is asked to deliver less.
 *
 * <p>Messages go to the servers in turn (n mod count); answers may come back out of order. Each
 * request runs on a thread of its own connection's; the thread calling {@link #run} only keeps
 * the time.
 */
final class OpenLoopPublishers {

    /** How long {@link #run} waits, once told to stop, for requests still unanswered. */
    private static final long SETTLE_SECONDS = 35; // beyond the publisher's 30 s read timeout

    private final List<InetSocketAddress> servers;
    private final PublishFormat format;
    private final String topic;
    private final int connections;

    OpenLoopPublishers(List<InetSocketAddress> servers, PublishFormat format, String topic, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("at least one connection, was " + connections);
        }
        this.servers = List.copyOf(servers);
        this.format = format;
        this.topic = topic;
        this.connections = connections;
    }

    /**
     * Publishes sequence numbers 0 to {@code count} - 1 at {@code perSecond}, until {@code stop}
     * holds (asked before each message); then waits for the answers still due. Each time the
     * sequence numbers from 0 on are all answered further, {@code acknowledged} is told the highest
     * of them (on a connection's thread, in increasing order).
     */
    PublishReport run(int count, double perSecond, BooleanSupplier stop, IntConsumer acknowledged)
            throws InterruptedException {
        LatencyHistogram latency = new LatencyHistogram();
        BitSet acked = new BitSet(count);
        BitSet settled = new BitSet(count);
        long[] tally = new long[2]; // ok, errors; guarded by settled, as the prefix is
        int[] prefix = new int[1];
        long[] lastAnswer = new long[1];
        List<Queue<HttpPublisher>> free = new ArrayList<>(servers.size());
        List<HttpPublisher> opened = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            free.add(new ConcurrentLinkedQueue<>());
        }
        Semaphore slots = new Semaphore(connections);
        AtomicInteger names = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(connections, task -> {
            Thread thread = new Thread(task, "open-loop-publisher-" + names.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        long period = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        int sent = 0;
        try {
            for (int seq = 0; seq < count && !stop.getAsBoolean(); seq++) {
                long wait = start + seq * period - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                slots.acquire();
                int server = seq % servers.size();
                HttpPublisher publisher = free.get(server).poll();
                if (publisher == null) {
                    publisher = new HttpPublisher(servers.get(server), format);
                    opened.add(publisher);
                }
                HttpPublisher connection = publisher;
                int n = seq;
                long due = start + seq * period;
                sent++;
                threads.execute(() -> {
                    long at = System.nanoTime();
                    // Stamped with when it was due, not when a connection was free: a server that
                    // keeps every connection waiting delays the next messages too, and that wait is
                    // part of their end-to-end latency (no coordinated omission).
                    int status = connection.publish(topic, Payload.measured(n, due));
                    long answered = System.nanoTime();
                    free.get(server).add(connection);
                    synchronized (settled) {
                        if (status >= 200 && status < 300) {
                            latency.record(answered - at);
                            acked.set(n);
                            tally[0]++;
                        } else {
                            tally[1]++;
                        }
                        settled.set(n);
                        lastAnswer[0] = Math.max(lastAnswer[0], answered);
                        int before = prefix[0];
                        prefix[0] = settled.nextClearBit(before);
                        if (prefix[0] > before) {
                            acknowledged.accept(prefix[0] - 1);
                        }
                    }
                    slots.release();
                });
            }
            slots.tryAcquire(connections, SETTLE_SECONDS, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
            threads.awaitTermination(5, TimeUnit.SECONDS);
            opened.forEach(HttpPublisher::close);
        }
        synchronized (settled) {
            long end = lastAnswer[0] == 0 ? System.nanoTime() : lastAnswer[0];
            return new PublishReport(sent, tally[0], tally[1], end - start, latency, (BitSet) acked.clone());
        }
    }
}
