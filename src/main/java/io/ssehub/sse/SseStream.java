package io.ssehub.sse;

import io.ssehub.hub.Frame;
import io.ssehub.hub.Subscriber;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One event stream's whole life: it owns the asynchronous servlet response from the moment it is
 * built until it closes, and drains a {@link Subscriber}'s queue onto it with non-blocking writes,
 * one writer at a time. What to write next (preamble, frames, keep-alives, probes, last words) is its
 * {@link StreamFeed}'s to say; this class is the mechanism around it: the state, the response,
 * the loop that writes, and the one way to the end.
 *
 * <pre>
 *   +-----+  start()            OPEN: the writer's states
 *   | NEW | ----------------&gt; +----------------------------------------------------------------+
 *   +-----+                   |         framesAvailable()            isReady() == false          |
 *      |                      | +------+ ---------------&gt; +---------+ --------&gt; +-----------+   |
 *      | refuse()             | | IDLE |                  | WRITING |            | WAITING_  |   |
 *      | (start() found a     | |      | &lt;--------------- |         | &lt;-------- | FOR_      |   |
 *      |  close requested)    | +------+  nothing to do   +---------+  onWrite- | CONTAINER |   |
 *      |                      |                                        Possible()+-----------+   |
 *      |                      |   (start() enters WAITING_FOR_CONTAINER: the container's first   |
 *      |                      |    callback starts the writer)                                   |
 *      |                      +----------------------------------------------------------------+
 *      |                                      | close(reason), any thread; carried out by the
 *      v                                      v drain when WRITING, by the opener when NEW
 *   +--------+ &lt;------------------------------+
 *   | CLOSED |   terminal: reached once, by CAS; the close effects run once, on the thread that won
 *   +--------+
 * </pre>
 *
 * <p>Ownership: in NEW the response is the opener's (the thread that built the stream): it may
 * still answer the request with an error ({@link #refuse}), and a {@link #close} from elsewhere
 * only records its reason, which {@link #start} then finds. From {@link #start} on it is this
 * stream's, and only ever used under one small lock and while the container has not finished it.
 * Whoever holds the state carries out a close requested meanwhile: the opener in NEW, the drain in
 * WRITING; in the other states the closing thread moves to CLOSED itself. Every move to CLOSED is
 * a compare-and-set, so its effects (the {@link CloseHandler}: releasing the subscription, the
 * admission counts and the registration; the observer; completing the async context) run exactly
 * once whatever ends the stream: the client going away (noticed by the container, by a write, a
 * {@linkplain #probeOnLane probe}'s if nothing else is written, or by an error reading its request,
 * {@link #watchInput}), a write error, a deadline, overflow, shutdown.
 *
 * <p>Threading: a publisher thread only queues (in the {@link Subscriber}) and, if the stream is
 * IDLE, moves it to WRITING and hands a drain to the stream's writer lane; it never touches the
 * socket. Every drain runs on that lane (an executor that runs its tasks one at a time, in order),
 * checks {@code isReady()} before every write and flush, writes all waiting frames as one batch
 * and flushes it before taking more (where the write sent it already,
 * {@link ContainerOutput#waitsForFlush}, it waits for {@code isReady()} instead of flushing). When
 * {@code isReady()} is false only {@link #onWritePossible()} resumes it, by scheduling the next
 * drain on the lane. The container's {@code onComplete} marks the response finished under the
 * response lock before the request is recycled, so a late write never reaches another client's
 * recycled response.
 *
 * <p>Every batch reaches the client whole before the writer rests: where the container sends a
 * chunk's terminating CRLF only with the next chunk ({@link #endChunks}), the feed ends the chunk
 * with a comment line before the writer goes idle.
 *
 * <p>{@link #finish} is the polite close used by server-side mass closes: the drain writes what is
 * queued, then one last frame (a {@code retry:} hint), flushes, and only then closes, exactly as an
 * overflowed stream does.
 */
public final class SseStream implements WriteListener, AsyncListener, Subscriber.Sink {

    private static final BooleanSupplier NOT_REVOKED = () -> false;

    private static final Logger log = LoggerFactory.getLogger(SseStream.class);

    /** The stream's states; see the class diagram. */
    enum State {
        /** Built, not started: the opener owns the response and may still refuse the request. */
        NEW,
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
        /** Called once, on whichever thread closed the stream; must not throw. */
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
     * The {@link State}, as its ordinal: it changes several times per delivery, and G1 marks a card
     * for its refinement threads on every store of a reference into an old object (even of an enum
     * constant), never on the store of an int.
     */
    private volatile int state = State.NEW.ordinal();
    private final AsyncContext async;
    private final ServletOutputStream out;
    /** How to write to {@link #out}: on Jetty through its {@code write(ByteBuffer)}. */
    private final ContainerOutput writes;
    private final Executor writers;
    /** The one drain task of this stream, made once: a wake allocates nothing. */
    private final Runnable drainTask = this::drain;
    private final CloseHandler closeHandler;
    private final Subscriber subscriber;
    private final StreamFeed feed;
    private final StreamObserver observer;
    private final long openedNanos = System.nanoTime();

    /**
     * Frames taken off the queue and written, not yet flushed, when a drain had to stop before its
     * flush; the drain's alone, and {@code null} while a drain runs (it keeps them in a local).
     */
    private Subscriber.Queued unflushed;
    /** Something was written since the last flush; the drain's alone. */
    private boolean needsFlush;
    /** The request body to watch once started ({@link #watchInput}), or {@code null}. */
    private InputWatch input;
    private volatile long deadlineNanos;
    private volatile BooleanSupplier revoked = NOT_REVOKED;
    private volatile long lastWriteNanos = openedNanos;
    private volatile CloseReason closeRequested;
    /**
     * Guards every use of the response ({@code isReady}, {@code write}, {@code flush},
     * {@code complete}, the head) against the container finishing it on another thread.
     */
    private final Object response = new Object();
    /** Set under {@link #response} once the response is completed, by us or by the container. */
    private boolean finished;
    /** The container has told us the request is finished ({@link #onComplete}): it will not call again. */
    private volatile boolean containerDone;

    /**
     * Builds the stream, in NEW, and with {@code subscriber} its subscriber (given this stream as its
     * sink); nothing is written until {@link #start}.
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
        this.feed = new StreamFeed(this.subscriber, observer);
    }

    /**
     * Has the stream end each chunk itself before its writer rests, with a comment line in a chunk
     * of its own, where the container sends a chunk's terminating CRLF only with the next chunk
     * ({@link ContainerOutput#holdsChunkEnds()}, on a chunked response). A client that reads that
     * CRLF before it hands the chunk's data on (urllib3) would otherwise get each batch only with
     * the next. Call before {@link #start}.
     */
    public void endChunks() {
        feed.endChunks();
    }

    /**
     * Has the stream send what its subscriber's full queue dropped from {@code source} (the
     * broker's retained history) when it still holds all of it, instead of a {@code reset} that
     * reports the loss. Call before {@link #start}.
     */
    public void repairGapsFrom(Subscriber.GapSource source) {
        feed.repairGapsFrom(source);
    }

    /**
     * Has the stream read its request's input once started, so that a client that closes its
     * connection is noticed at once rather than at the next write, and so that a client that keeps
     * sending is read, not buffered: what it sends is discarded, and the stream closed
     * ({@link CloseReason#CLIENT_SENT_TOO_MUCH}) past {@code maxBytes}. Call before {@link #start}.
     */
    public void watchInput(ServletInputStream in, long maxBytes) {
        this.input = new InputWatch(this, in, maxBytes);
    }

    /** Closes the stream at {@code deadlineNanos} ({@link System#nanoTime()}), e.g. when its token expires. */
    public void closeAt(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** Closes the stream once {@code revoked} turns true, e.g. when the API key that admitted it is withdrawn. */
    public void revokeWhen(BooleanSupplier revoked) {
        this.revoked = revoked;
    }

    /**
     * Called by the periodic sweep: closes the stream if it overflowed, or was asked to finish, more
     * than {@code graceNanos} before {@code nowNanos} and still has not written what it had queued,
     * or once its deadline has passed or its credential was revoked.
     */
    public void enforce(long graceNanos, long nowNanos) {
        CloseReason reason = feed.outstayed(graceNanos, nowNanos);
        if (reason == null) {
            long deadline = deadlineNanos;
            if (deadline != 0 && nowNanos - deadline >= 0) {
                reason = CloseReason.EXPIRED;
            } else if (revoked.getAsBoolean()) {
                reason = CloseReason.REVOKED;
            }
        }
        if (reason != null) {
            close(reason);
        }
    }

    public Subscriber subscriber() {
        return subscriber;
    }

    /**
     * Hands the response over from its opener to the stream: NEW to OPEN. Under the response lock,
     * runs {@code head} (the opener's status and headers), stores the preamble (state is set up
     * before it is handed to another thread), and registers the listeners; the container's first
     * {@code onWritePossible} then writes the preamble and whatever the subscriber queued meanwhile.
     *
     * @param head     sets the response's status and headers; runs only if the stream opens
     * @param preamble frames to send before any live frame: the ready frame, a reset, a replay
     * @return false, changing nothing, when a close was requested while the stream was NEW: the
     *         opener still owns the response and must {@link #refuse} it
     * @throws IllegalStateException if the stream is not NEW
     * @throws RuntimeException      what the container threw while taking the stream over; the
     *                               stream is closed then, its close effects run
     */
    public boolean start(Runnable head, List<byte[]> preamble) throws IOException {
        if (state() != State.NEW) {
            throw new IllegalStateException("a stream starts once, from NEW; it is " + state());
        }
        if (closeRequested != null) {
            return false;
        }
        feed.preamble(preamble);
        try {
            synchronized (response) {
                head.run();
                // Published before the listeners: from their first callback on, the stream is OPEN.
                setState(State.WAITING_FOR_CONTAINER);
                async.addListener(this);
                out.setWriteListener(this);
                if (input != null) {
                    input.start();
                }
            }
        } catch (RuntimeException | Error e) {
            // The container refused the hand-over: nothing else will ever end this stream.
            if (closeRequested == null) {
                closeRequested = CloseReason.WRITE_ERROR;
            }
            if (compareAndSetState(State.NEW, State.CLOSED)) {
                closed();
                completeResponse();
            } else {
                closeOnce();
            }
            throw e;
        }
        // A close that saw NEW only recorded its reason: it is carried out now. (It wrote the reason
        // before reading the state, this wrote the state before reading the reason: one of the two
        // sees the other.)
        CloseReason requested = closeRequested;
        if (requested != null) {
            close(requested);
        }
        return true;
    }

    /**
     * Ends a stream that never opened (NEW to CLOSED): runs {@code answer} (the opener's error
     * response) under the response lock, then the close effects, once. Only the opener calls it.
     *
     * @throws IllegalStateException if the stream is not NEW
     */
    public void refuse(Runnable answer, CloseReason reason) {
        if (closeRequested == null) {
            closeRequested = reason;
        }
        if (!compareAndSetState(State.NEW, State.CLOSED)) {
            throw new IllegalStateException("only a stream that never started can be refused; it is " + state());
        }
        synchronized (response) {
            try {
                answer.run();
            } catch (RuntimeException e) {
                log.debug("could not answer a refused stream: {}", e.toString());
            }
        }
        closed();
        completeResponse();
    }

    /** Nanoseconds since the stream was built. */
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
        feed.overflowed();
        wake();
    }

    /** The backplane could not read the rest of its replay: the client resumes after what it got. */
    @Override
    public void replayBroken() {
        close(CloseReason.RESYNC);
    }

    /**
     * Ends the stream politely: what is queued is written, then {@code lastFrame} (a {@code retry:}
     * hint), then the stream closes with {@code reason}. Safe from any thread; a stream that cannot
     * write (its client stopped reading) is closed by {@link #enforce} once its grace is over.
     */
    public void finish(byte[] lastFrame, CloseReason reason) {
        if (feed.finish(lastFrame, reason)) {
            wake();
        }
    }

    /**
     * Sends a comment frame unless something was written within {@code quietNanos}. Called by the
     * keep-alive sweep; a write to a dead peer fails and closes the stream.
     */
    public void heartbeat(long quietNanos) {
        if (System.nanoTime() - lastWriteNanos >= quietNanos) {
            feed.heartbeatDue();
            wake();
        }
    }

    /**
     * Whether the stream should be probed: it rests, and wrote nothing within {@code quietNanos}
     * before {@code nowNanos}. Called by the probe sweep, which then hands it to
     * {@link #probeOnLane} on its {@link #lane}.
     */
    boolean wantsProbe(long quietNanos, long nowNanos) {
        return nowNanos - lastWriteNanos >= quietNanos && state() == State.IDLE;
    }

    /** The lane every drain of this stream runs on. */
    Executor lane() {
        return writers;
    }

    /**
     * Writes an empty comment line, if the stream still rests: a write is how the container finds
     * out that the client has gone. Runs the drain right here, so it must be called on the stream's
     * {@link #lane}: the probe sweep hands each lane its streams in a few tasks rather than one task
     * (one enqueue, perhaps one wake-up) per stream.
     */
    void probeOnLane() {
        if (compareAndSetState(State.IDLE, State.WRITING)) {
            feed.probeDue(); // after the CAS: a probe that found the stream busy leaves nothing behind
            drain();
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
            // The writer pool is gone: the application is stopping. This thread holds WRITING.
            if (closeRequested == null) {
                closeRequested = CloseReason.SHUTDOWN;
            }
            closeOnce();
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
        completeResponse(); // the container expects it now, whoever holds the state
        close(CloseReason.WRITE_ERROR);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // The container finished the request and is about to recycle it: from now on nothing of
        // ours may touch it, even a drain that is running right now (it checks under the lock).
        synchronized (response) {
            finished = true;
        }
        containerDone = true;
        close(CloseReason.CLIENT_GONE);
    }

    /**
     * Whether the container has finished the request ({@code onComplete}). A completion asked for
     * is carried out by the container later, on a thread of its own, with the application's class
     * loader bound; shutdown waits for it ({@link StreamRegistry#awaitContainers}).
     */
    boolean containerDone() {
        return containerDone;
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
     * Runs with the state WRITING, on the stream's lane, one drain at a time: asks the feed what to
     * do next and does it, until the container is not ready, the feed has nothing more, or the
     * stream closes.
     *
     * <p>Frames taken off the queue and written but not yet flushed are held in locals, and stored
     * in fields only when the drain stops before its flush: with a card-marking garbage collector
     * (G1) every write of a new object into this long-lived one costs, and this runs once per
     * delivery.
     */
    private void drain() {
        Subscriber.Queued unflushed = this.unflushed;
        this.unflushed = null;
        StreamFeed.Step step = new StreamFeed.Step();
        try {
            while (true) {
                if (closeRequested != null) {
                    closeOnce();
                    return;
                }
                if (unflushed != null && !feed.hasPending()) {
                    // what was taken off the queue is written: flush it before taking more
                    if (!flush(unflushed)) {
                        return;
                    }
                    unflushed = null;
                    continue;
                }
                feed.next(needsFlush, step);
                switch (step.action) {
                    case WRITE -> {
                        if (step.frames != null) {
                            unflushed = step.frames; // the queue is only taken from once they are flushed
                        }
                        if (!write(step.chunk, unflushed)) {
                            return;
                        }
                    }
                    case FLUSH -> {
                        if (!flush(null)) {
                            return;
                        }
                    }
                    case CLOSE -> {
                        if (closeRequested == null) {
                            closeRequested = step.reason;
                        }
                    }
                    case YIELD -> {
                        schedule();
                        return;
                    }
                    case REST -> {
                        setState(State.IDLE);
                        // A frame or close that arrived after the feed found nothing saw WRITING and left the work to us.
                        if ((feed.hasWork() || closeRequested != null) && compareAndSetState(State.IDLE, State.WRITING)) {
                            continue;
                        }
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("stream write failed: {}", e.toString());
            writeFailed();
        } catch (Error e) {
            // Ended as a failed write is, or the stream would stay WRITING, holding its
            // subscription and counts for ever; the lane logs the error.
            writeFailed();
            throw e;
        }
    }

    private void writeFailed() {
        if (closeRequested == null) {
            closeRequested = CloseReason.WRITE_ERROR;
        }
        closeOnce();
    }

    /** Writes {@code chunk} once the container is ready; false when it was not (the chunk is put back). */
    private boolean write(byte[] chunk, Subscriber.Queued unflushed) throws IOException {
        if (!ready(chunk, unflushed)) {
            return false;
        }
        synchronized (response) {
            checkNotFinished();
            writes.write(out, chunk);
            needsFlush = true;
        }
        feed.written(chunk);
        lastWriteNanos = System.nanoTime();
        observer.written(chunk.length);
        return true;
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
     *
     * <p>From WAITING_FOR_CONTAINER another thread may close the stream; then the state is CLOSED,
     * the close effects have run there, and this drain only puts back what it holds and stops.
     */
    private boolean ready(byte[] chunk, Subscriber.Queued unflushed) throws IOException {
        setState(State.WAITING_FOR_CONTAINER);
        boolean ready;
        synchronized (response) {
            ready = !finished && out.isReady();
        }
        if (ready && compareAndSetState(State.WAITING_FOR_CONTAINER, State.WRITING)) {
            return true;
        }
        // Not ready, or the state moved meanwhile (closed, or an early callback scheduled the next drain).
        if (chunk != null) {
            feed.putBack(chunk);
        }
        this.unflushed = unflushed;
        if (!ready && closeRequested != null) {
            closeOnce(); // a close that came before WAITING_FOR_CONTAINER was published left it to us
        }
        return false;
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

    // ---- closing --------------------------------------------------------------------------

    /**
     * Ends the stream; safe from any thread, any number of times; the first reason given is the one
     * reported. If a drain is running it carries out the close itself, so the response is never used
     * after completion; if the stream is NEW, its opener does ({@link #start} returns false).
     */
    public void close(CloseReason reason) {
        if (closeRequested == null) {
            closeRequested = reason;
        }
        State s = state();
        if (s != State.WRITING && s != State.NEW) {
            closeOnce();
        }
        // WRITING or NEW: their owner sees closeRequested; if the state moved on meanwhile, the
        // new state was published before its owner looks at closeRequested again.
    }

    /**
     * The one way to CLOSED, from whatever state the stream is in: a compare-and-set, so the close
     * effects run once, on the thread that won. A drain calls it while it holds WRITING; other
     * threads from an OPEN state that is not WRITING; the opener through {@link #refuse}.
     */
    private void closeOnce() {
        while (true) {
            int s = state;
            if (s == State.CLOSED.ordinal()) {
                return;
            }
            if (s == State.NEW.ordinal()) {
                return; // the opener carries it out: it still owns the response
            }
            if (STATE.compareAndSet(this, s, State.CLOSED.ordinal())) {
                closed();
                completeResponse();
                return;
            }
        }
    }

    /** The close effects; runs once, on whichever thread moved the state to CLOSED. */
    private void closed() {
        CloseReason reason = closeRequested;
        try {
            closeHandler.closed(this, reason); // releases the subscription and the counts: first
            observer.closed(reason, ageNanos());
        } catch (RuntimeException e) {
            log.warn("close handler failed", e);
        }
        if (input != null) {
            input.stop();
        }
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

    /** Called by the input watch, on a container thread. */
    void inputEnded(CloseReason reason) {
        close(reason);
    }
}
