package io.ssehub.bench.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Live counters shared by the loops of one {@link SubscriberPool}; readable at any time. */
final class PoolCounters {
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger closedByServer = new AtomicInteger();
    final AtomicInteger warmedUp = new AtomicInteger();
    final AtomicInteger loopErrors = new AtomicInteger();
    /** Streams the clients dropped on purpose, and how many of them had an event ID to resume from. */
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger droppedWithId = new AtomicInteger();
    /** Reconnection attempts after a drop, and those answered 200. */
    final AtomicInteger reconnectAttempts = new AtomicInteger();
    final AtomicInteger reconnected = new AtomicInteger();
    /**
     * Streams the server ended after the drop (each reconnected as an {@code EventSource} does,
     * after its {@code retry:}), and those reconnections answered 200.
     */
    final AtomicInteger serverCloses = new AtomicInteger();
    final AtomicInteger reReconnected = new AtomicInteger();
    /** Reconnection attempts that ended without any answer (refused, reset, closed before the head). */
    final AtomicInteger reconnectErrors = new AtomicInteger();
    /** Answers 503, and answers with another status but 200, to any subscription request. */
    final AtomicInteger status503 = new AtomicInteger();
    final AtomicInteger statusOther = new AtomicInteger();
    /** Subscribers refused (any status but 200) at least once, and when the last refusal came ({@link System#nanoTime()}). */
    final AtomicInteger refusedSubscribers = new AtomicInteger();
    final AtomicLong lastRefusal = new AtomicLong();
    /** Every receipt of a warm-up message, over all subscribers. */
    final LongAdder warmupReceipts = new LongAdder();
    /** First receipts of measured messages, over all subscribers. */
    final LongAdder delivered = new LongAdder();
}
