package io.ssehub.bench.load;

import java.util.BitSet;

/**
 * What one subscriber received: which measured sequence numbers (each counted once), how many
 * arrived again (duplicates), and how many events were something else. Owned by one thread.
 */
public final class Ledger {

    private final BitSet seen = new BitSet();
    private long unique;
    private long duplicates;
    private long malformed;
    private long otherEvents;
    private boolean warmedUp;
    private int prefix;

    /** Records a measured message; returns true if this subscriber had not seen it before. */
    public boolean measured(long seq) {
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            malformed++;
            return false;
        }
        int index = (int) seq;
        if (seen.get(index)) {
            duplicates++;
            return false;
        }
        seen.set(index);
        unique++;
        while (seen.get(prefix)) {
            prefix++;
        }
        return true;
    }

    /** How many sequence numbers from 0 on were all received: every one below this one is in. */
    public int prefix() {
        return prefix;
    }

    /** Records a warm-up message; returns true on the first one. */
    public boolean warmup() {
        boolean first = !warmedUp;
        warmedUp = true;
        return first;
    }

    public void malformed() {
        malformed++;
    }

    public void otherEvent() {
        otherEvents++;
    }

    public long unique() {
        return unique;
    }

    public long duplicates() {
        return duplicates;
    }

    public long malformedCount() {
        return malformed;
    }

    public long otherEvents() {
        return otherEvents;
    }

    /** How many of the {@code expected} sequence numbers this subscriber never received. */
    public long lost(BitSet expected) {
        return missing(expected).cardinality();
    }

    /** The {@code expected} sequence numbers this subscriber never received. */
    public BitSet missing(BitSet expected) {
        BitSet missing = (BitSet) expected.clone();
        missing.andNot(seen);
        return missing;
    }

    /** The highest sequence number received, or -1. */
    public int lastSeen() {
        return seen.length() - 1;
    }

    /** Received numbers that were never acknowledged to a publisher (not in {@code expected}). */
    public long unexpected(BitSet expected) {
        BitSet extra = (BitSet) seen.clone();
        extra.andNot(expected);
        return extra.cardinality();
    }
}
