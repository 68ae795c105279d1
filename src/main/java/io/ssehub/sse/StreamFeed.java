package io.ssehub.sse;

import io.ssehub.hub.Frame;
import io.ssehub.hub.Subscriber;

import java.util.ArrayDeque;
import java.util.List;

/**
 * What a stream writes next: the policy of {@link SseStream}, whose loop owns the state, the
 * response and every write, and asks this, between writes, what to do.
 *
 * <p>In order of precedence: the bytes written before any live frame (the preamble: ready, reset,
 * replay, and at the end the last words), then every frame the subscriber queued (with the report
 * of the frames it could not queue, a {@code reset}, where they belong), then a keep-alive
 * comment when one is due. With nothing left to write: flush what was written; then an empty
 * comment line if a probe is due (a write is how the container learns that the client left); then
 * close if the subscriber overflowed or the stream was asked to {@linkplain #finish finish}; else,
 * where the container holds a chunk's end back, let the lane's other streams go first once and then
 * end the chunk with a comment line; else rest.
 *
 * <p>Threading: {@link #heartbeatDue()}, {@link #finish} and {@link #overflowed()} may be called
 * from any thread (the stream wakes its writer after them); everything else only by the stream's
 * writer, one drain at a time, or before the stream starts.
 */
final class StreamFeed {

    /** What the writer does next. */
    enum Action {
        /** Write {@link Step#chunk} (holding {@link Step#frames}, or none). */
        WRITE,
        /** Nothing more to write now: flush what was written. */
        FLUSH,
        /** Everything is out: go idle until woken. */
        REST,
        /** Let the lane's other streams write first, then ask again. */
        YIELD,
        /** Everything is out and the stream is done: close with {@link Step#reason}. */
        CLOSE
    }

    /**
     * One answer of {@link #next}: filled in, then read at once by the writer. One per drain, so the
     * chunks and frames it carries are stored in a young object, never into the long-lived stream.
     */
    static final class Step {
        Action action;
        byte[] chunk;
        Subscriber.Queued frames;
        CloseReason reason;
    }

    private static final int BATCH_BYTES = 64 * 1024;
    private static final Subscriber.GapSource NO_GAPS = (subscriber, gap) -> null;
    /** Usually just the ready frame; an idle stream should not hold the default 16 slots. */
    private static final int PENDING_INITIAL = 2;

    private final Subscriber subscriber;
    private final StreamObserver observer;
    /** Bytes to write before the queue (ready, reset, replay, a gap read back, last words). */
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>(PENDING_INITIAL);
    /** Where what a full queue dropped is read back from; set before the stream starts. */
    private Subscriber.GapSource gaps = NO_GAPS;
    /** The container sends a chunk's end only with the next chunk; set before the stream starts. */
    private boolean endsChunks;
    /** The last chunk written holds bytes a client needs, and its end has not been sent. */
    private boolean chunkEndHeld;
    /** Since that chunk was written the lane's queued streams have been let go first. */
    private boolean chunkEndWaited;
    private volatile boolean heartbeatDue;
    private volatile boolean probeDue;
    /** Set when the subscriber overflowed under the disconnect policy: write what is queued, then close. */
    private volatile long overflowedAtNanos;
    /** Set by {@link #finish}: the last bytes to write once the queue is empty, then close. */
    private volatile byte[] lastWords;
    private volatile CloseReason finishReason;
    private volatile long finishingAtNanos;

    StreamFeed(Subscriber subscriber, StreamObserver observer) {
        this.subscriber = subscriber;
        this.observer = observer;
    }

    void endChunks() {
        endsChunks = true;
    }

    void repairGapsFrom(Subscriber.GapSource source) {
        gaps = source;
    }

    /** Stores the preamble; before the stream starts. */
    void preamble(List<byte[]> frames) {
        pending.addAll(frames);
    }

    void heartbeatDue() {
        heartbeatDue = true;
    }

    void probeDue() {
        probeDue = true;
    }

    void overflowed() {
        overflowedAtNanos = System.nanoTime();
    }

    /**
     * Why the stream must close now, if it overflowed, or was asked to finish, more than
     * {@code graceNanos} ago (and so could not write what it had); otherwise {@code null}.
     */
    CloseReason outstayed(long graceNanos, long nowNanos) {
        long overflowed = overflowedAtNanos;
        if (overflowed != 0 && nowNanos - overflowed > graceNanos) {
            return CloseReason.OVERFLOW;
        }
        long finishing = finishingAtNanos;
        return finishing != 0 && nowNanos - finishing > graceNanos ? finishReason : null;
    }

    /** Returns false if the stream was asked to finish already. */
    boolean finish(byte[] lastFrame, CloseReason reason) {
        if (finishingAtNanos != 0) {
            return false;
        }
        finishReason = reason;
        lastWords = lastFrame;
        finishingAtNanos = System.nanoTime(); // last: the writer reads the other two once it sees this
        return true;
    }

    /** Whether a write of bytes not yet flushed must come first (pending bytes precede the queue). */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Whether a drain would find anything to do; for a writer that just went idle. */
    boolean hasWork() {
        return subscriber.hasFrames() || heartbeatDue || probeDue || !pending.isEmpty() || overflowedAtNanos != 0
                || finishingAtNanos != 0;
    }

    /** Puts back a chunk the container was not ready for, to be written first. */
    void putBack(byte[] chunk) {
        pending.addFirst(chunk);
    }

    /**
     * Decides what the writer does next and fills in {@code step}.
     *
     * @param needsFlush whether something was written since the last flush
     */
    void next(boolean needsFlush, Step step) {
        step.frames = null;
        step.chunk = null;
        boolean heartbeat = heartbeatDue;
        heartbeatDue = false;
        boolean probe = probeDue;
        probeDue = false;
        if (!pending.isEmpty()) {
            write(step, joinPending());
            return;
        }
        Subscriber.Gap gap = subscriber.takeGap(); // before the frames: see takeGap
        Subscriber.Queued frames = takeFrames();
        if (frames != null || gap != null) {
            step.frames = frames;
            List<Frame> retained = gap == null ? null : gaps.retainedGap(subscriber, gap);
            write(step, gap == null ? join(frames) : retained != null ? refill(frames, gap, retained) : joinAround(frames, gap));
            return;
        }
        if (heartbeat) {
            write(step, SseEncoder.sharedComment());
            return;
        }
        if (needsFlush) {
            step.action = Action.FLUSH;
            return;
        }
        if (probe && !chunkEndHeld) {
            write(step, SseEncoder.sharedCommentLine()); // dispatches nothing; only learns whether the client is there
            return;
        }
        if (overflowedAtNanos != 0) {
            close(step, CloseReason.OVERFLOW); // everything queued is out
            return;
        }
        if (finishingAtNanos != 0) {
            byte[] last = lastWords;
            lastWords = null;
            if (last != null) {
                write(step, last);
            } else {
                close(step, finishReason); // the last words are out and flushed
            }
            return;
        }
        if (!chunkEndHeld) {
            step.action = Action.REST;
        } else if (!chunkEndWaited) {
            // The streams queued on this lane write first, and a batch that reaches this one
            // meanwhile ends its chunk instead: under load that saves the write.
            chunkEndWaited = true;
            step.action = Action.YIELD;
        } else {
            write(step, SseEncoder.sharedCommentLine()); // the container sends the last chunk's end with it
        }
    }

    /** The writer wrote {@code chunk}. */
    void written(byte[] chunk) {
        if (endsChunks) {
            // A comment needs no end of its own: it dispatches nothing.
            chunkEndHeld = chunk != SseEncoder.sharedCommentLine() && chunk != SseEncoder.sharedComment();
            chunkEndWaited = false;
        }
    }

    private static void write(Step step, byte[] chunk) {
        step.action = Action.WRITE;
        step.chunk = chunk;
    }

    private static void close(Step step, CloseReason reason) {
        step.action = Action.CLOSE;
        step.reason = reason;
    }

    /** Every queued frame that was not already sent from history, oldest first; {@code null} when none. */
    private Subscriber.Queued takeFrames() {
        Subscriber.Queued first = subscriber.takeAll();
        if (first == null) {
            return null;
        }
        int count = 0;
        for (Subscriber.Queued q = first; q != null; q = q.next()) {
            count++;
        }
        observer.drained(count);
        return first;
    }

    /** The frames' bytes as one array; a lone frame's shared bytes are used as they are. */
    private byte[] join(Subscriber.Queued frames) {
        return join(frames, null);
    }

    /** The bytes of the frames from {@code frames} up to {@code end} (not included; {@code null}: to the last). */
    private byte[] join(Subscriber.Queued frames, Subscriber.Queued end) {
        boolean multi = subscriber.tagged();
        if (frames.next() == end) {
            return frames.frame().bytes(multi); // shared and immutable: no copy needed
        }
        int length = 0;
        for (Subscriber.Queued q = frames; q != end; q = q.next()) {
            length += q.frame().bytes(multi).length;
        }
        byte[] chunk = new byte[length];
        int pos = 0;
        for (Subscriber.Queued q = frames; q != end; q = q.next()) {
            byte[] bytes = q.frame().bytes(multi);
            System.arraycopy(bytes, 0, chunk, pos, bytes.length);
            pos += bytes.length;
        }
        return chunk;
    }

    /**
     * The frames queued before a gap, to be written now; the frames the gap lost, read back from
     * what is retained, and those queued after it go to the pending bytes, written next in batches
     * as a replay is (a long gap is never copied into one chunk).
     */
    private byte[] refill(Subscriber.Queued frames, Subscriber.Gap gap, List<Frame> retained) {
        boolean multi = subscriber.tagged();
        Subscriber.Queued after = frames;
        while (after != null && after.frame().seq() < gap.first().seq()) {
            after = after.next();
        }
        for (Frame frame : retained) {
            pending.addLast(frame.bytes(multi));
        }
        for (Subscriber.Queued q = after; q != null; q = q.next()) {
            pending.addLast(q.frame().bytes(multi));
        }
        return after == frames ? joinPending() : join(frames, after);
    }

    /**
     * The frames' bytes with the report of {@code gap} between those older and those newer than it:
     * a subscriber that lost frames is told so before the next frame it gets.
     */
    private byte[] joinAround(Subscriber.Queued frames, Subscriber.Gap gap) {
        boolean multi = subscriber.tagged();
        byte[] reset = SseEncoder.dropped(gap.count(), gap.first().id(), gap.last().id());
        int length = reset.length;
        for (Subscriber.Queued q = frames; q != null; q = q.next()) {
            length += q.frame().bytes(multi).length;
        }
        byte[] chunk = new byte[length];
        int pos = 0;
        boolean reported = false;
        for (Subscriber.Queued q = frames; q != null; q = q.next()) {
            if (!reported && q.frame().seq() > gap.last().seq()) {
                System.arraycopy(reset, 0, chunk, pos, reset.length);
                pos += reset.length;
                reported = true;
            }
            byte[] bytes = q.frame().bytes(multi);
            System.arraycopy(bytes, 0, chunk, pos, bytes.length);
            pos += bytes.length;
        }
        if (!reported) {
            System.arraycopy(reset, 0, chunk, pos, reset.length);
        }
        return chunk;
    }

    private byte[] joinPending() {
        byte[] first = pending.pollFirst();
        if (pending.isEmpty() || first.length >= BATCH_BYTES) {
            return first;
        }
        int length = first.length;
        int count = 1;
        for (byte[] next : pending) {
            if (length + next.length > BATCH_BYTES) {
                break;
            }
            length += next.length;
            count++;
        }
        byte[] chunk = new byte[length];
        System.arraycopy(first, 0, chunk, 0, first.length);
        int pos = first.length;
        for (int i = 1; i < count; i++) {
            byte[] next = pending.pollFirst();
            System.arraycopy(next, 0, chunk, pos, next.length);
            pos += next.length;
        }
        return chunk;
    }
}
