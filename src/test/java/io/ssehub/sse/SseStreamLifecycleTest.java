package io.ssehub.sse;

import io.ssehub.hub.Subscriber;
import io.ssehub.testing.Await;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A stream's life from NEW to CLOSED: who owns the response when, and that the close effects (the
 * releases of every count and registration) run exactly once whatever ends the stream, even when
 * the container, the writer and other threads race to end it.
 */
class SseStreamLifecycleTest {

    private final ExecutorService lane = Executors.newSingleThreadExecutor();
    private final ExecutorService container = Executors.newSingleThreadExecutor();
    /** Close effects per stream: each must be 1 in the end. */
    private final Map<SseStream, AtomicInteger> closes = new ConcurrentHashMap<>();
    private final List<CloseReason> reasons = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws InterruptedException {
        lane.shutdownNow();
        container.shutdownNow();
        assertTrue(lane.awaitTermination(5, TimeUnit.SECONDS));
        assertTrue(container.awaitTermination(5, TimeUnit.SECONDS));
    }

    private SseStream stream(AsyncContext async, ServletOutputStream out) {
        return stream(async, out, lane);
    }

    private SseStream stream(AsyncContext async, ServletOutputStream out, Executor writer) {
        return new SseStream(async, out, ContainerOutput.of(out), writer,
                sink -> new Subscriber("t", 16, sink), (s, reason) -> {
                    closes.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                    reasons.add(reason);
                }, StreamObserver.NONE);
    }

    private static ServletOutputStream readyOutput() throws IOException {
        ServletOutputStream out = mock(ServletOutputStream.class);
        when(out.isReady()).thenReturn(true);
        return out;
    }

    @Test
    void aCloseWhileNewIsLeftToTheOpenerWhichRefusesTheRequestOnce() throws Exception {
        AsyncContext async = mock(AsyncContext.class);
        ServletOutputStream out = readyOutput();
        SseStream stream = stream(async, out);

        stream.close(CloseReason.SHUTDOWN); // a shutdown reaching a stream that is still subscribing
        assertEquals(SseStream.State.NEW, stream.state(), "the opener still owns the response");
        assertTrue(closes.isEmpty(), "nothing is released behind the opener's back");
        verify(async, never()).complete();

        AtomicInteger heads = new AtomicInteger();
        assertFalse(stream.start(heads::incrementAndGet, List.of(new byte[] {'x'})));
        assertEquals(0, heads.get(), "no head is written for a stream that will not open");
        verify(out, never()).setWriteListener(any());

        AtomicInteger answers = new AtomicInteger();
        stream.refuse(answers::incrementAndGet, CloseReason.REFUSED);
        assertEquals(1, answers.get());
        assertEquals(1, closes.get(stream).get());
        assertEquals(List.of(CloseReason.SHUTDOWN), reasons, "the first reason given is the one reported");
        verify(async, times(1)).complete();
        assertTrue(stream.isClosed());
    }

    @Test
    void aStartedStreamCannotBeRefusedNorStartedAgain() throws Exception {
        SseStream stream = stream(mock(AsyncContext.class), readyOutput());
        assertTrue(stream.start(() -> { }, List.of()));
        assertThrows(IllegalStateException.class, () -> stream.refuse(() -> { }, CloseReason.REFUSED));
        assertThrows(IllegalStateException.class, () -> stream.start(() -> { }, List.of()));
    }

    /** The container refuses the write listener: the stream is not left half open, holding its counts. */
    @Test
    void aContainerRefusingTheHandOverClosesTheStreamOnce() throws Exception {
        AsyncContext async = mock(AsyncContext.class);
        ServletOutputStream out = readyOutput();
        doAnswer(call -> {
            throw new IllegalStateException("not async");
        }).when(out).setWriteListener(any());
        SseStream stream = stream(async, out);

        assertThrows(IllegalStateException.class, () -> stream.start(() -> { }, List.of()));

        assertTrue(stream.isClosed());
        assertEquals(1, closes.get(stream).get());
        assertEquals(List.of(CloseReason.WRITE_ERROR), reasons);
        verify(async, times(1)).complete();
    }

    /**
     * An {@link Error} while writing (a bug, a stack overflow, memory running out) ends the stream
     * once, as a failed write does, rather than leave it WRITING with its subscription and counts
     * held for ever; the error still reaches the lane, which logs it.
     */
    @Test
    void anErrorWhileWritingEndsTheStreamOnceAndReachesTheLane() throws Exception {
        AsyncContext async = mock(AsyncContext.class);
        ServletOutputStream out = readyOutput();
        doAnswer(call -> {
            throw new StackOverflowError("deep in a frame");
        }).when(out).write(any(byte[].class));
        List<Throwable> laneErrors = Collections.synchronizedList(new ArrayList<>());
        SseStream stream = stream(async, out, task -> lane.execute(() -> {
            try {
                task.run();
            } catch (Error e) {
                laneErrors.add(e);
            }
        }));

        assertTrue(stream.start(() -> { }, List.of(new byte[] {'x'})));
        stream.onWritePossible();

        awaitClosed(stream);
        lane.submit(() -> { }).get(5, TimeUnit.SECONDS); // the writer has stopped
        assertEquals(1, closes.get(stream).get());
        assertEquals(List.of(CloseReason.WRITE_ERROR), reasons);
        verify(async, times(1)).complete();
        assertEquals(1, laneErrors.size());
        assertTrue(laneErrors.get(0) instanceof StackOverflowError);
    }

    /**
     * A close from another thread at the very moment the opener starts the stream is carried out
     * once, by one of the two, and the head is written only into a response not yet completed.
     */
    @Test
    void aCloseRacingTheStartIsCarriedOutOnceAndNeverAfterTheResponseCompleted() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            AsyncContext async = mock(AsyncContext.class);
            AtomicInteger completed = new AtomicInteger();
            AtomicReference<String> misuse = new AtomicReference<>();
            doAnswer(call -> {
                completed.incrementAndGet();
                return null;
            }).when(async).complete();
            SseStream stream = stream(async, readyOutput());
            CountDownLatch go = new CountDownLatch(1);
            var closing = container.submit(() -> {
                go.await();
                stream.close(CloseReason.SHUTDOWN);
                return null;
            });
            go.countDown();
            boolean started = stream.start(() -> {
                if (completed.get() > 0) {
                    misuse.set("the head was written after the response completed");
                }
            }, List.of());
            if (!started) {
                stream.refuse(() -> { }, CloseReason.REFUSED);
            }
            closing.get(5, TimeUnit.SECONDS);
            awaitClosed(stream);
            assertEquals(null, misuse.get());
            assertEquals(1, closes.get(stream).get(), "close effects in round " + i);
            assertEquals(1, completed.get(), "completions in round " + i);
        }
    }

    /**
     * The container finishes the response (the client went away) while the writer is between
     * announcing that it waits for the container and asking it whether it is ready: the close
     * effects, and so the release of the stream's admission, run once. The writer is kept busy
     * with many large writes, and the container's callback contends for the response lock, so the
     * two meet there often.
     */
    @Test
    void theContainerFinishingTheResponseWhileTheWriterAsksIfItIsReadyReleasesOnce() throws Exception {
        byte[] big = new byte[64 * 1024];
        List<byte[]> preamble = Collections.nCopies(40, big);
        for (int i = 0; i < 1_000; i++) {
            AsyncContext async = mock(AsyncContext.class);
            ServletOutputStream out = readyOutput();
            SseStream stream = stream(async, out);
            assertTrue(stream.start(() -> { }, preamble));
            stream.onWritePossible(); // the container's first callback starts the writer
            int spin = i % 200;
            var finishing = container.submit(() -> {
                for (int s = 0; s < spin * 50; s++) {
                    Thread.onSpinWait();
                }
                stream.onComplete(mock(AsyncEvent.class));
                return null;
            });
            finishing.get(5, TimeUnit.SECONDS);
            awaitClosed(stream);
            lane.submit(() -> { }).get(5, TimeUnit.SECONDS); // the writer has stopped
            assertEquals(1, closes.get(stream).get(), "close effects in round " + i);
        }
    }

    /** A client that closes its side is seen by the read listener, and its stream closes without a write. */
    @Test
    void theEndOfTheRequestInputIsLeftAloneButAReadErrorClosesTheStream() throws Exception {
        ServletInputStream in = mock(ServletInputStream.class);
        AtomicReference<ReadListener> listener = listenerOf(in);
        AsyncContext async = mock(AsyncContext.class);
        ServletOutputStream out = readyOutput();
        SseStream stream = stream(async, out);
        stream.watchInput(in, 1024);
        assertTrue(stream.start(() -> { }, List.of()));

        listener.get().onAllDataRead(); // a GET has no body: its end says nothing about the connection
        assertFalse(stream.isClosed());
        listener.get().onError(new IOException("connection reset"));
        assertTrue(stream.isClosed());
        assertEquals(List.of(CloseReason.CLIENT_GONE), reasons);
        verify(async, times(1)).complete();
    }

    /** A client that sends a body, or keeps sending, has it read and thrown away, and is cut off past the limit. */
    @Test
    void aClientFloodingItsStreamRequestIsReadNotKeptAndClosedPastTheLimit() throws Exception {
        ServletInputStream in = mock(ServletInputStream.class);
        AtomicReference<ReadListener> listener = listenerOf(in);
        AtomicInteger reads = new AtomicInteger();
        when(in.isReady()).thenReturn(true);
        when(in.read(any(byte[].class))).thenAnswer(call -> {
            reads.incrementAndGet();
            return ((byte[]) call.getArgument(0)).length; // an endless supply
        });
        SseStream stream = stream(mock(AsyncContext.class), readyOutput());
        stream.watchInput(in, 4096);
        assertTrue(stream.start(() -> { }, List.of()));

        listener.get().onDataAvailable();
        assertTrue(stream.isClosed());
        assertEquals(List.of(CloseReason.CLIENT_SENT_TOO_MUCH), reasons);
        assertTrue(reads.get() <= 4096 / 512 + 1, "read no more than the limit: " + reads.get() + " reads");
    }

    /** Where the read listener that the stream registers on {@code in} is to be found. */
    private static AtomicReference<ReadListener> listenerOf(ServletInputStream in) {
        AtomicReference<ReadListener> listener = new AtomicReference<>();
        doAnswer(call -> {
            listener.set(call.getArgument(0));
            return null;
        }).when(in).setReadListener(any());
        return listener;
    }

    private static void awaitClosed(SseStream stream) {
        Await.until(Duration.ofSeconds(5), stream::isClosed, "the stream to close");
    }
}
