package io.ssehub.bench.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Live counters shared by the loops of one {@link SubscriberPool}; readable at any time. */
final class PoolCounters {
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger closedByServer = new AtomicInteger();
    final AtomicInteger warmedUp = new AtomicInteger();
    final AtomicInteger loopErrors = new AtomicInteger();
    /** Every receipt of a warm-up message, over all subscribers. */
    final LongAdder warmupReceipts = new LongAdder();
    /** First receipts of measured messages, over all subscribers. */
    final LongAdder delivered = new LongAdder();
}
