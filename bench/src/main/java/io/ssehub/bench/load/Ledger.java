package io.ssehub.bench.load;

import java.util.BitSet;

/**
 * What one subscriber received: which measured sequence numbers (each counted once), how many
 * arrived again (duplicates), and how many events were something else. Owned by one thread.
 *
 * <p>An {@code event: reset} is the server saying that events are lost to this subscriber (ssehub
 * sends one in place of frames it dropped, or when a resume point has left its history): the
 * numbers between the highest received before it and the first measured one received after it
 * are the gap it announced. A number missed there is still lost; it is only counted apart
 * ({@link #announcedMissing}). Publishes answered out of order can put a missed number below the
 * highest received: that one counts as not announced.
 */
public final class Ledger {

    private final BitSet seen = new BitSet();
    private long unique;
    private long duplicates;
    private long malformed;
    private long otherEvents;
    private boolean warmedUp;
    private int prefix;
    private long resets;
    /** Numbers inside the gaps announced by resets that a measured message closed. */
    private final BitSet announced = new BitSet();
    /** Where the gap of a reset not yet followed by a measured message starts; -1 when none is open. */
    private int openGapFrom = -1;

    /** Records a measured message; returns true if this subscriber had not seen it before. */
    public boolean measured(long seq) {
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            malformed++;
            return false;
        }
        int index = (int) seq;
        if (openGapFrom >= 0) {
            if (index > openGapFrom) {
                announced.set(openGapFrom, index);
            }
            openGapFrom = -1;
        }
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

    /** Records an {@code event: reset}: the gap it announces starts after the highest number received. */
    public void reset() {
        resets++;
        if (openGapFrom < 0) {
            openGapFrom = seen.length();
        }
    }

    /** How many {@code event: reset} this subscriber got. */
    public long resets() {
        return resets;
    }

    /** Those of {@code missing} that fell in a gap a reset announced (a gap still open at the end reaches to the last). */
    public BitSet announcedMissing(BitSet missing) {
        BitSet gaps = (BitSet) announced.clone();
        if (openGapFrom >= 0 && missing.length() > openGapFrom) {
            gaps.set(openGapFrom, missing.length());
        }
        gaps.and(missing);
        return gaps;
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
