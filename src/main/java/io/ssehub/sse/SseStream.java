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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
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
 *            |                              |       (container thread)             |   the container's
 *            +------------------------------+--------------------------------------+   first callback
 *                                           | close(reason), any thread                 starts the writer)
 *                                           v
 *                                       +--------+
 *                                       | CLOSED |   terminal; the async context is completed once
 *                                       +--------+
 * </pre>
 *
 * <p>Threading: a publisher thread only queues (in the {@link Subscriber}) and, if the stream is
 * IDLE, moves it to WRITING and hands a drain to the writer executor; it never touches the socket.
 * The drain runs on one writer or container thread at a time, checks {@code isReady()} before
 * every write and flush, writes all waiting frames as one batch and flushes once. When
 * {@code isReady()} is false only {@link #onWritePossible()} resumes it.
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

    private final AtomicReference<State> state = new AtomicReference<>(State.WAITING_FOR_CONTAINER);
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Executor writers;
    /** The one drain task of this stream, made once: a wake allocates nothing. */
    private final Runnable drainTask = this::drain;
    private final CloseHandler closeHandler;
    private final Subscriber subscriber;
    private final StreamObserver observer;
    private static final int BATCH_BYTES = 64 * 1024;
    /** Usually just the ready frame; an idle stream should not hold the default 16 slots. */
    private static final int PENDING_INITIAL = 2;

    private final List<Frame> batch = new ArrayList<>();
    /** Frames taken off the queue since the last flush; the writer's alone. */
    private final List<Frame> unflushed = new ArrayList<>();
    private final long openedNanos = System.nanoTime();

    /** Bytes written before the queue (ready, reset, replay); filled before start, then only the writer's. */
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>(PENDING_INITIAL);
    private boolean needsFlush;
    /** Set when the subscriber overflowed under the disconnect policy: write what is queued, then close. */
    private volatile long overflowedAtNanos;
    private volatile long deadlineNanos;
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
     */
    public SseStream(AsyncContext async, ServletOutputStream out, Executor writers,
                     Function<Subscriber.Sink, Subscriber> subscriber, CloseHandler closeHandler,
                     StreamObserver observer) {
        this.async = async;
        this.out = out;
        this.writers = writers;
        this.closeHandler = closeHandler;
        this.observer = observer;
        this.subscriber = subscriber.apply(this);
    }

    /** Closes the stream at {@code deadlineNanos} ({@link System#nanoTime()}), e.g. when its token expires. */
    public void closeAt(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** Called by the periodic sweep: closes the stream once its deadline has passed. */
    public void enforceDeadline(long nowNanos) {
        long deadline = deadlineNanos;
        if (deadline != 0 && nowNanos - deadline >= 0) {
            close(CloseReason.EXPIRED);
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
        return state.get() == State.CLOSED;
    }

    State state() {
        return state.get();
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
        if (state.compareAndSet(State.IDLE, State.WRITING)) {
            try {
                writers.execute(drainTask);
            } catch (RejectedExecutionException e) {
                // The writer pool is gone: the application is stopping.
                state.set(State.IDLE);
                close(CloseReason.SHUTDOWN);
            }
        }
    }

    // ---- container side -------------------------------------------------------------------

    @Override
    public void onWritePossible() {
        if (state.compareAndSet(State.WAITING_FOR_CONTAINER, State.WRITING)) {
            drain();
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

    /** Runs with the state WRITING, on exactly one thread. */
    private void drain() {
        try {
            while (true) {
                if (closeRequested != null) {
                    finishClose();
                    return;
                }
                byte[] chunk = nextChunk();
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
                    state.set(State.IDLE);
                    // A frame or close that arrived after nextChunk() saw WRITING and left the work to us.
                    if (hasWork() && state.compareAndSet(State.IDLE, State.WRITING)) {
                        continue;
                    }
                    return;
                }
                if (!ready(chunk)) {
                    return;
                }
                synchronized (response) {
                    if (finished) {
                        throw new IOException("the container already finished the response");
                    }
                    if (chunk != null) {
                        out.write(chunk);
                        needsFlush = true;
                    } else {
                        out.flush();
                        needsFlush = false;
                    }
                }
                if (chunk != null) {
                    lastWriteNanos = System.nanoTime();
                    observer.written(chunk.length);
                } else {
                    reportFlushed();
                }
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
     * Checks {@code isReady()}; when it is false the container will call {@link #onWritePossible()}
     * once, so the state is WAITING_FOR_CONTAINER before asking (the callback may run on another
     * thread before {@code isReady()} has even returned here). A chunk already taken off the queue
     * goes back to the front of the pending bytes so it is written first on resume.
     */
    private boolean ready(byte[] chunk) throws IOException {
        if (chunk != null) {
            pending.addFirst(chunk);
        }
        state.set(State.WAITING_FOR_CONTAINER);
        boolean ready;
        synchronized (response) {
            if (finished) {
                throw new IOException("the container already finished the response");
            }
            ready = out.isReady();
        }
        if (!ready) {
            if (closeRequested != null && state.compareAndSet(State.WAITING_FOR_CONTAINER, State.CLOSED)) {
                complete();
            }
            return false;
        }
        if (!state.compareAndSet(State.WAITING_FOR_CONTAINER, State.WRITING)) {
            return false; // closed meanwhile by another thread
        }
        if (chunk != null) {
            pending.pollFirst();
        }
        return true;
    }

    private boolean hasWork() {
        return subscriber.hasFrames() || heartbeatDue || closeRequested != null || !pending.isEmpty()
                || overflowedAtNanos != 0 || finishing;
    }

    /**
     * The next bytes to write as one array: pending bytes (up to {@link #BATCH_BYTES}) or every
     * queued frame, or a heartbeat when there is nothing else; {@code null} when there is nothing.
     */
    private byte[] nextChunk() {
        boolean heartbeat = heartbeatDue;
        heartbeatDue = false;
        if (!pending.isEmpty()) {
            return joinPending();
        }
        batch.clear();
        subscriber.drainTo(batch);
        batch.removeIf(subscriber::replayed); // queued live before the replay was known
        if (batch.isEmpty()) {
            return heartbeat ? SseEncoder.sharedComment() : null;
        }
        observer.drained(batch.size());
        unflushed.addAll(batch);
        boolean multi = subscriber.tagged();
        if (batch.size() == 1) {
            byte[] only = batch.get(0).bytes(multi); // shared and immutable: no copy needed
            batch.clear();
            return only;
        }
        int length = 0;
        for (Frame frame : batch) {
            length += frame.bytes(multi).length;
        }
        byte[] chunk = new byte[length];
        int pos = 0;
        for (Frame frame : batch) {
            byte[] bytes = frame.bytes(multi);
            System.arraycopy(bytes, 0, chunk, pos, bytes.length);
            pos += bytes.length;
        }
        batch.clear();
        return chunk;
    }

    /**
     * Every frame taken off the queue has been written and is now flushed: a chunk that
     * {@link #ready} put back is in {@link #pending}, which is written before any flush.
     */
    private void reportFlushed() {
        if (unflushed.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < unflushed.size(); i++) {
            Frame frame = unflushed.get(i);
            if (frame.flushed()) {
                observer.flushedByAll(now - frame.publishedNanos());
            }
        }
        unflushed.clear();
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
            State s = state.get();
            if (s == State.CLOSED || s == State.WRITING) {
                return; // done already, or the running drain will see closeRequested
            }
            if (state.compareAndSet(s, State.CLOSED)) {
                complete();
                return;
            }
        }
    }

    /** Called by the drain, which owns the WRITING state, so no other thread can close concurrently. */
    private void finishClose() {
        state.set(State.CLOSED);
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
