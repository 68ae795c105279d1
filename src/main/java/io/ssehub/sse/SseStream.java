package io.ssehub.sse;

import io.ssehub.hub.Frame;
import io.ssehub.hub.Subscriber;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One open event stream: drains a {@link Subscriber}'s queue onto an asynchronous servlet
 * response with non-blocking writes, one writer at a time.
 *
 * <pre>
 *                  framesAvailable()                isReady() == false
 *        +------+  (publisher thread)  +---------+  ---------------------&gt; +-----------------------+
 *        | IDLE | -------------------&gt; | WRITING |                         | WAITING_FOR_CONTAINER |
 *        +------+ &lt;------------------- +---------+ &lt;--------------------- +-----------------------+
 *            |      nothing left to write   |       onWritePossible()              |   (initial state:
 *            |                              |       (schedules a drain)            |   the container's
 *            +------------------------------+--------------------------------------+   first callback
 *                                           | close(reason), any thread                 starts the writer)
 *                                           v
 *                                       +--------+
 *                                       | CLOSED |   terminal; the async context is completed once
 *                                       +--------+
 * </pre>
 *
 * <p>Threading: a publisher thread only queues (in the {@link Subscriber}) and, if the stream is
 * IDLE, moves it to WRITING and hands a drain to the stream's writer lane; it never touches the
 * socket. Every drain runs on that lane (an executor that runs its tasks one at a time, in order),
 * checks {@code isReady()} before every write and flush, writes all waiting frames as one batch
 * and flushes it before taking more (where the write sent it already,
 * {@link ContainerOutput#waitsForFlush}, it waits for {@code isReady()} instead of flushing). When
 * {@code isReady()} is false only {@link #onWritePossible()} resumes it, by scheduling the next
 * drain on the lane.
 *
 * <p>Every batch reaches the client whole before the writer rests: where the container sends a
 * chunk's terminating CRLF only with the next chunk ({@link #endChunks}), a drain that finds nothing
 * more to write after a batch first lets the streams queued on its lane write (a batch that reaches
 * it meanwhile ends the chunk instead), then writes a comment line ({@code :\n}) whose chunk carries
 * the batch's end, and only then goes idle.
 *
 * <p>Closing is idempotent and runs its effects exactly once whatever ends the stream (client
 * gone, write error, timeout, shutdown): the subscription is released and, unless the container
 * already finished the request, the async context is completed. A close requested while a drain
 * is running is carried out by that drain. Every use of the response happens under one small
 * lock and only while it is not finished; the container's {@code onComplete} marks it finished
 * under the same lock before the request is recycled, so a late write can never reach another
 * client's recycled response.
 *
 * <p>{@link #finish} is the polite close used at shutdown: the drain writes what is queued, then
 * one last frame, flushes, and only then closes, exactly as an overflowed stream does.
 */
public final class SseStream implements WriteListener, AsyncListener, Subscriber.Sink {

    private static final BooleanSupplier NOT_REVOKED = () -> false;

    private static final Logger log = LoggerFactory.getLogger(SseStream.class);

    /** The writer's states; see the class diagram. */
    enum State {
        /** Nothing to write and no write outstanding; a new frame starts a drain. */
        IDLE,
        /** Exactly one thread is draining; others only queue. */
        WRITING,
        /** {@code isReady()} was false (or the first callback is due): only the container resumes. */
        WAITING_FOR_CONTAINER,
        /** Finished; nothing touches the response any more. */
        CLOSED
    }

    /** What the owner does once the stream has closed (release the subscription, log, count). */
    public interface CloseHandler {
        void closed(SseStream stream, CloseReason reason);
    }

    private static final State[] STATES = State.values();
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SseStream.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The writer's {@link State}, as its ordinal: it changes several times per delivery, and G1
     * marks a card for its refinement threads on every store of a reference into an old object
     * (even of an enum constant), never on the store of an int.
     */
    private volatile int state = State.WAITING_FOR_CONTAINER.ordinal();
    private final AsyncContext async;
    private final ServletOutputStream out;
    /** How to write to {@link #out}: on Jetty through its {@code write(ByteBuffer)}. */
    private final ContainerOutput writes;
    private final Executor writers;
    /** The one drain task of this stream, made once: a wake allocates nothing. */
    private final Runnable drainTask = this::drain;
    private final CloseHandler closeHandler;
    private final Subscriber subscriber;
    private final StreamObserver observer;
    private static final int BATCH_BYTES = 64 * 1024;
    /** Usually just the ready frame; an idle stream should not hold the default 16 slots. */
    private static final int PENDING_INITIAL = 2;

    /**
     * Frames taken off the queue and written, not yet flushed, when a drain had to stop before its
     * flush; the drain's alone, and {@code null} while a drain runs (it keeps them in a local).
     */
    private Subscriber.Queued unflushed;
    private final long openedNanos = System.nanoTime();

    /** Bytes written before the queue (ready, reset, replay); filled before start, then only the writer's. */
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>(PENDING_INITIAL);
    private boolean needsFlush;
    /** Set before start: the container sends a chunk's end only with the next chunk ({@link #endChunks}). */
    private boolean endsChunks;
    /** The last chunk written holds bytes a client needs, and its end has not been sent; the writer's alone. */
    private boolean chunkEndHeld;
    /** Since that chunk was written the drain has let its lane's queued streams go first; the writer's alone. */
    private boolean chunkEndWaited;
    /** Set when the subscriber overflowed under the disconnect policy: write what is queued, then close. */
    private volatile long overflowedAtNanos;
    private volatile long deadlineNanos;
    private volatile BooleanSupplier revoked = NOT_REVOKED;
    private volatile boolean heartbeatDue;
    private volatile long lastWriteNanos = openedNanos;
    private volatile CloseReason closeRequested;
    /** Set by {@link #finish}: the last bytes to write once the queue is empty, then close. */
    private volatile byte[] lastWords;
    private volatile CloseReason finishReason;
    private volatile boolean finishing;
    /**
     * Guards every use of the response ({@code isReady}, {@code write}, {@code flush},
     * {@code complete}) against the container finishing it on another thread.
     */
    private final Object response = new Object();
    /** Set under {@link #response} once the response is completed, by us or by the container. */
    private boolean finished;

    /**
     * Builds the stream and, with {@code subscriber}, its subscriber (given this stream as its sink);
     * nothing is written until {@link #start}.
     *
     * @param writes  how to write to {@code out}, normally {@link ContainerOutput#of(ServletOutputStream)}
     * @param writers the stream's lane: runs its tasks one at a time, in order ({@link WriterPool#lane()})
     */
    public SseStream(AsyncContext async, ServletOutputStream out, ContainerOutput writes, Executor writers,
                     Function<Subscriber.Sink, Subscriber> subscriber, CloseHandler closeHandler,
                     StreamObserver observer) {
        this.async = async;
        this.out = out;
        this.writes = writes;
        this.writers = writers;
        this.closeHandler = closeHandler;
        this.observer = observer;
        this.subscriber = subscriber.apply(this);
    }

    /**
     * Has the stream end each chunk itself before its writer rests, with a comment line in a chunk
     * of its own, where the container sends a chunk's terminating CRLF only with the next chunk
     * ({@link ContainerOutput#holdsChunkEnds()}, on a chunked response). A client that reads that
     * CRLF before it hands the chunk's data on (urllib3) would otherwise get each batch only with
     * the next. Call before {@link #start}.
     */
    public void endChunks() {
        this.endsChunks = true;
    }

    /** Closes the stream at {@code deadlineNanos} ({@link System#nanoTime()}), e.g. when its token expires. */
    public void closeAt(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** Closes the stream once {@code revoked} turns true, e.g. when the API key that admitted it is withdrawn. */
    public void revokeWhen(BooleanSupplier revoked) {
        this.revoked = revoked;
    }

    /** Called by the periodic sweep: closes the stream once its deadline has passed or its credential was revoked. */
    public void enforceDeadline(long nowNanos) {
        long deadline = deadlineNanos;
        if (deadline != 0 && nowNanos - deadline >= 0) {
            close(CloseReason.EXPIRED);
        } else if (revoked.getAsBoolean()) {
            close(CloseReason.REVOKED);
        }
    }

    public Subscriber subscriber() {
        return subscriber;
    }

    /**
     * Hands the response to the container. The preamble is stored first (state is set up before it
     * is handed to another thread): the container's first {@code onWritePossible} writes it, then
     * whatever the subscriber queued meanwhile.
     *
     * @param preamble frames to send before any live frame: the ready frame, a reset, a replay
     */
    public void start(List<byte[]> preamble) throws IOException {
        pending.addAll(preamble);
        async.addListener(this);
        out.setWriteListener(this);
    }

    /** Nanoseconds since the stream opened. */
    public long ageNanos() {
        return System.nanoTime() - openedNanos;
    }

    public boolean isClosed() {
        return state() == State.CLOSED;
    }

    State state() {
        return STATES[state];
    }

    private void setState(State next) {
        state = next.ordinal();
    }

    private boolean compareAndSetState(State expected, State next) {
        return STATE.compareAndSet(this, expected.ordinal(), next.ordinal());
    }

    // ---- publisher side -------------------------------------------------------------------

    @Override
    public void framesAvailable() {
        wake();
    }

    /** The subscriber overflowed under the disconnect policy: finish what is queued, then close. */
    @Override
    public void overflowed() {
        overflowedAtNanos = System.nanoTime();
        wake();
    }

    /**
     * Ends the stream politely: what is queued is written, then {@code lastFrame} (a {@code retry:}
     * hint at shutdown), then the stream closes with {@code reason}. Safe from any thread; a stream
     * that cannot write (its client stopped reading) stays open until someone calls {@link #close}.
     */
    public void finish(byte[] lastFrame, CloseReason reason) {
        if (finishing) {
            return;
        }
        finishReason = reason;
        lastWords = lastFrame;
        finishing = true;
        wake();
    }

    /**
     * Closes the stream if it overflowed more than {@code graceNanos} ago and still has not written
     * what it had queued. Called by the periodic sweep.
     */
    public void enforceOverflowGrace(long graceNanos) {
        long at = overflowedAtNanos;
        if (at != 0 && System.nanoTime() - at > graceNanos) {
            close(CloseReason.OVERFLOW);
        }
    }

    /**
     * Sends a comment frame unless something was written within {@code quietNanos}. Called by the
     * keep-alive sweep; a write to a dead peer fails and closes the stream.
     */
    public void heartbeat(long quietNanos) {
        if (System.nanoTime() - lastWriteNanos >= quietNanos) {
            heartbeatDue = true;
            wake();
        }
    }

    private void wake() {
        if (compareAndSetState(State.IDLE, State.WRITING)) {
            schedule();
        }
    }

    /** Hands a drain to the stream's lane; the state is WRITING. */
    private void schedule() {
        try {
            writers.execute(drainTask);
        } catch (RejectedExecutionException e) {
            // The writer pool is gone: the application is stopping.
            setState(State.IDLE);
            close(CloseReason.SHUTDOWN);
        }
    }

    // ---- container side -------------------------------------------------------------------

    /**
     * Schedules the drain on the stream's lane rather than running it here: so every drain runs on
     * that one thread, in turn, and the drain that saw {@code isReady()} false finishes putting back
     * what it held before the next one starts.
     */
    @Override
    public void onWritePossible() {
        if (compareAndSetState(State.WAITING_FOR_CONTAINER, State.WRITING)) {
            schedule();
        }
    }

    @Override
    public void onError(Throwable t) {
        log.debug("stream write failed: {}", t.toString());
        completeResponse();
        close(CloseReason.WRITE_ERROR);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // The container finished the request and is about to recycle it: from now on nothing of
        // ours may touch it, even a drain that is running right now (it checks under the lock).
        synchronized (response) {
            finished = true;
        }
        close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        completeResponse();
        close(CloseReason.TIMEOUT);
    }

    @Override
    public void onError(AsyncEvent event) {
        completeResponse();
        close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-dispatched; nothing to do
    }

    // ---- the writer -----------------------------------------------------------------------

    /**
     * Runs with the state WRITING, on the stream's lane, one drain at a time.
     *
     * <p>Frames taken off the queue and written but not yet flushed are held in locals, and stored
     * in fields only when the drain stops before its flush: with a card-marking garbage collector
     * (G1) every write of a new object into this long-lived one costs, and this runs once per
     * delivery.
     */
    private void drain() {
        Subscriber.Queued unflushed = this.unflushed;
        this.unflushed = null;
        try {
            while (true) {
                if (closeRequested != null) {
                    finishClose();
                    return;
                }
                if (unflushed != null && pending.isEmpty()) {
                    // what was taken off the queue is written: flush it before taking more
                    if (!flush(unflushed)) {
                        return;
                    }
                    unflushed = null;
                    continue;
                }
                boolean heartbeat = heartbeatDue;
                heartbeatDue = false;
                byte[] chunk = null;
                Subscriber.Queued frames = null;
                if (!pending.isEmpty()) {
                    chunk = joinPending();
                } else {
                    frames = takeFrames();
                    chunk = frames != null ? join(frames) : heartbeat ? SseEncoder.sharedComment() : null;
                }
                if (chunk == null && !needsFlush) {
                    if (overflowedAtNanos != 0) {
                        closeRequested = CloseReason.OVERFLOW; // everything queued is out
                        continue;
                    }
                    if (finishing) {
                        byte[] last = lastWords;
                        lastWords = null;
                        if (last != null) {
                            pending.add(last);
                        } else {
                            closeRequested = finishReason; // the last words are out and flushed
                        }
                        continue;
                    }
                    if (!chunkEndHeld) {
                        setState(State.IDLE);
                        // A frame or close that arrived after the queue was found empty saw WRITING and left the work to us.
                        if (hasWork() && compareAndSetState(State.IDLE, State.WRITING)) {
                            continue;
                        }
                        return;
                    }
                    if (!chunkEndWaited) {
                        // The streams queued on this lane write first, and a batch that reaches this
                        // one meanwhile ends its chunk instead: under load that saves the write.
                        chunkEndWaited = true;
                        schedule();
                        return;
                    }
                    chunk = SseEncoder.sharedCommentLine(); // the container sends the last chunk's end with it
                }
                if (frames != null) {
                    unflushed = frames; // the queue is only taken from once the last frames are flushed
                }
                if (chunk == null) { // only bytes from the pending or a heartbeat wait for their flush
                    if (!flush(null)) {
                        return;
                    }
                    continue;
                }
                if (!ready(chunk, unflushed)) {
                    return;
                }
                synchronized (response) {
                    checkNotFinished();
                    writes.write(out, chunk);
                    needsFlush = true;
                }
                if (endsChunks) {
                    // A comment needs no end of its own: it dispatches nothing.
                    chunkEndHeld = chunk != SseEncoder.sharedCommentLine() && chunk != SseEncoder.sharedComment();
                    chunkEndWaited = false;
                }
                lastWriteNanos = System.nanoTime();
                observer.written(chunk.length);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("stream write failed: {}", e.toString());
            if (closeRequested == null) {
                closeRequested = CloseReason.WRITE_ERROR;
            }
            finishClose();
        }
    }

    /**
     * Flushes what was written once the container is ready (or only waits for that, where the write
     * sent it already), then reports {@code frames} (the frames among it, or {@code null}) as
     * flushed; false when the container was not ready.
     */
    private boolean flush(Subscriber.Queued frames) throws IOException {
        if (!ready(null, frames)) {
            return false;
        }
        if (writes.waitsForFlush()) {
            synchronized (response) {
                checkNotFinished();
                out.flush();
            }
        }
        needsFlush = false;
        reportFlushed(frames);
        return true;
    }

    /** Called under {@link #response}: nothing may touch a response the container has finished. */
    private void checkNotFinished() throws IOException {
        if (finished) {
            throw new IOException("the container already finished the response");
        }
    }

    /**
     * Checks {@code isReady()}; when it is false the container will call {@link #onWritePossible()}
     * once, so the state is WAITING_FOR_CONTAINER before asking (the callback may come on another
     * thread before {@code isReady()} has even returned here). The callback only schedules the next
     * drain on this stream's lane, behind this one, so this drain may still put back what it holds:
     * {@code chunk} goes to the front of the pending bytes, to be written first, and the unflushed
     * frames to their field.
     */
    private boolean ready(byte[] chunk, Subscriber.Queued unflushed) throws IOException {
        setState(State.WAITING_FOR_CONTAINER);
        boolean ready;
        synchronized (response) {
            checkNotFinished();
            ready = out.isReady();
        }
        if (ready && compareAndSetState(State.WAITING_FOR_CONTAINER, State.WRITING)) {
            return true;
        }
        // Not ready, or the state moved meanwhile (closed, or an early callback scheduled the next drain).
        if (chunk != null) {
            pending.addFirst(chunk);
        }
        this.unflushed = unflushed;
        if (!ready && closeRequested != null && compareAndSetState(State.WAITING_FOR_CONTAINER, State.CLOSED)) {
            complete();
        }
        return false;
    }

    private boolean hasWork() {
        return subscriber.hasFrames() || heartbeatDue || closeRequested != null || !pending.isEmpty()
                || overflowedAtNanos != 0 || finishing;
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
        boolean multi = subscriber.tagged();
        if (frames.next() == null) {
            return frames.frame().bytes(multi); // shared and immutable: no copy needed
        }
        int length = 0;
        for (Subscriber.Queued q = frames; q != null; q = q.next()) {
            length += q.frame().bytes(multi).length;
        }
        byte[] chunk = new byte[length];
        int pos = 0;
        for (Subscriber.Queued q = frames; q != null; q = q.next()) {
            byte[] bytes = q.frame().bytes(multi);
            System.arraycopy(bytes, 0, chunk, pos, bytes.length);
            pos += bytes.length;
        }
        return chunk;
    }

    /** The frames are flushed: tell the observer about each one this stream was the last to flush. */
    private void reportFlushed(Subscriber.Queued frames) {
        long now = 0;
        for (Subscriber.Queued q = frames; q != null; q = q.next()) {
            Frame frame = q.frame();
            if (frame.flushed()) {
                if (now == 0) {
                    now = System.nanoTime();
                }
                observer.flushedByAll(now - frame.publishedNanos());
            }
        }
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

    // ---- closing --------------------------------------------------------------------------

    /**
     * Ends the stream; safe from any thread, any number of times. If a drain is running it
     * finishes the close itself, so the response is never used after completion.
     */
    public void close(CloseReason reason) {
        if (closeRequested == null) {
            closeRequested = reason;
        }
        while (true) {
            State s = state();
            if (s == State.CLOSED || s == State.WRITING) {
                return; // done already, or the running drain will see closeRequested
            }
            if (compareAndSetState(s, State.CLOSED)) {
                complete();
                return;
            }
        }
    }

    /** Called by the drain, which owns the WRITING state, so no other thread can close concurrently. */
    private void finishClose() {
        setState(State.CLOSED);
        complete();
    }

    /** Runs once, on whichever thread moved the state to CLOSED. */
    private void complete() {
        try {
            closeHandler.closed(this, closeRequested); // releases the subscription: first
            observer.closed(closeRequested, ageNanos());
        } catch (RuntimeException e) {
            log.warn("close handler failed", e);
        }
        completeResponse();
    }

    /**
     * Completes the async context unless it is already finished, under the response lock, so a
     * container that is finishing and recycling the request on its own never sees a late call.
     */
    private void completeResponse() {
        synchronized (response) {
            if (finished) {
                return;
            }
            finished = true;
            try {
                async.complete();
            } catch (IllegalStateException e) {
                log.debug("async context already completed: {}", e.toString());
            }
        }
    }
}
