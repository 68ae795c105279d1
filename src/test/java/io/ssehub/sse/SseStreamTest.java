package io.ssehub.sse;

import io.ssehub.hub.FrameEncoder;
import io.ssehub.hub.Hub;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.Message;
import io.ssehub.hub.Subscriber;
import io.ssehub.testing.Await;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

/**
 * The stream's writer state machine under concurrency, against a container that behaves as the
 * servlet spec allows a non-blocking one to: writes and flushes that do not finish at once,
 * {@code isReady()} false until they do, then one {@code onWritePossible()} on a container thread.
 * Publishers, heartbeats and the container all race; every frame must arrive once and in order.
 * Each test runs three times: writing byte arrays into a buffer that only a flush sends (Tomcat,
 * Undertow); writing through the output stream's {@code write(ByteBuffer)}, which sends at once, so
 * nothing is flushed (Jetty; {@link ContainerOutput}); and the same where, as Jetty's chunks over
 * HTTP/1.1, the end of each write is sent only with the next, so a client has a frame only once
 * something was written after it ({@link SseStream#endChunks()}).
 */
public class SseStreamTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** How the fake container takes a stream's bytes. */
    enum Writes {
        /** {@code write(byte[])} into a buffer a flush sends (Tomcat, Undertow). */
        ARRAYS,
        /** {@code write(ByteBuffer)}, sent at once (Jetty). */
        BUFFERS,
        /** {@code write(ByteBuffer)}, sent at once but usable by the client only once more follows (Jetty's chunks). */
        CHUNKS
    }

    private final ExecutorService container = Executors.newFixedThreadPool(2);
    private final WriterPool writers = new WriterPool(2, task -> {
        Thread thread = new Thread(task, "test-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final Hub hub = new Hub(new FrameEncoder() {
        @Override
        public byte[] encode(Message m, String id) {
            return ("data: " + m.data() + "\n\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] encodeWithTopic(Message m, String id) {
            return encode(m, id);
        }
    });

    @AfterEach
    void stop() throws InterruptedException {
        writers.shutdown();
        container.shutdown();
        assertTrue(writers.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(container.awaitTermination(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Writes.class)
    void everyFrameArrivesOnceAndInOrderWhileWritesStallAtRandom(Writes writes) throws Exception {
        int streams = 50;
        int publishers = 3;
        int messages = 2_000;
        Opened opened = open(streams, publishers * messages, writes);
        List<FakeOutput> outputs = opened.outputs();

        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            threads.add(new Thread(() -> {
                for (int i = 0; i < messages; i++) {
                    hub.publish(new Message("t", publisher + "-" + i));
                }
            }));
        }
        threads.add(new Thread(() -> { // keep-alive sweeps racing the publishers
            for (int round = 0; round < 200; round++) {
                for (SseStream stream : opened.streams()) {
                    stream.heartbeat(0);
                }
                Thread.yield();
            }
        }));
        StreamRegistry registry = new StreamRegistry();
        opened.streams().forEach(registry::add);
        threads.add(new Thread(() -> { // probe rounds too, whose drains run inside the lanes' batch tasks
            for (int round = 0; round < 200; round++) {
                registry.probe(0, 0);
                Thread.yield();
            }
        }));
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(DEADLINE.toMillis());
        }

        Await.until(DEADLINE, () -> outputs.stream().allMatch(o -> o.frames() == publishers * messages),
                "every stream to receive all " + publishers * messages + " frames");
        for (FakeOutput out : outputs) {
            out.assertInOrder(publishers, messages);
        }
        opened.streams().forEach(stream -> stream.close(CloseReason.SHUTDOWN));
        Await.until(DEADLINE, () -> opened.closed().size() == streams, "every stream to close");
        assertTrue(opened.streams().stream().allMatch(SseStream::isClosed));
        opened.assertNoViolations();
    }

    /**
     * No keep-alive and no later publish rescues a stream here: the last frame of each burst must
     * be written by the wake it came with, even when it lands just as the writer finds the queue
     * empty and goes idle. Many short bursts give that moment many chances.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Writes.class)
    void theLastFrameOfEveryBurstIsWrittenWithoutAnotherWake(Writes writes) throws Exception {
        int streams = 20;
        int rounds = 300;
        int perPublisher = 3;
        Opened opened = open(streams, rounds * 2 * perPublisher, writes);
        ExecutorService publishers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                int base = round * perPublisher;
                List<Future<?>> done = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    int publisher = p;
                    done.add(publishers.submit(() -> {
                        for (int i = 0; i < perPublisher; i++) {
                            hub.publish(new Message("t", publisher + "-" + (base + i)));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                }
                int expected = (round + 1) * 2 * perPublisher;
                Await.until(Duration.ofSeconds(5), () -> opened.outputs().stream().allMatch(o -> o.frames() == expected),
                        "every stream to receive all " + expected + " frames after round " + round);
            }
        } finally {
            publishers.shutdown();
        }
        for (FakeOutput out : opened.outputs()) {
            out.assertInOrder(2, rounds * perPublisher);
        }
        opened.assertNoViolations();
    }

    /**
     * Where the container holds a chunk's end until the next chunk, a batch that leaves the stream
     * with nothing to write is followed by a comment line, whose chunk carries the batch's end; but
     * only once the streams queued on the lane have written: a batch that comes meanwhile ends the
     * chunk itself and needs no comment.
     */
    @Test
    void aChunkIsEndedByTheNextBatchOrElseByACommentLineBeforeTheWriterRests() throws Exception {
        Queue<Runnable> lane = new ArrayDeque<>();
        WriteLog out = new WriteLog();
        SseStream stream = new SseStream(asyncContext(), out, ContainerOutput.byteBuffers(WriteLog.class), lane::add,
                sink -> new Subscriber("chunks", 16, sink), (s, reason) -> { }, StreamObserver.NONE);
        stream.endChunks();
        hub.subscribe(stream.subscriber());
        stream.start(() -> { }, List.of(": ready\n\n".getBytes(StandardCharsets.UTF_8)));

        lane.remove().run(); // the container's first callback: the preamble, then the lane's other streams
        assertEquals(List.of(": ready\n\n"), out.writes());
        hub.publish(new Message("chunks", "one")); // comes while the stream waits its turn
        lane.remove().run(); // the batch, whose chunk ends the preamble's
        assertEquals(List.of(": ready\n\n", "data: one\n\n"), out.writes());
        assertEquals(1, lane.size(), "the stream waits its turn again");
        lane.remove().run(); // nothing came: a comment line ends the batch's chunk
        assertEquals(List.of(": ready\n\n", "data: one\n\n", ":\n"), out.writes());
        assertTrue(lane.isEmpty());
        assertEquals(SseStream.State.IDLE, stream.state());

        hub.publish(new Message("chunks", "two"));
        runAll(lane);
        assertEquals(List.of(": ready\n\n", "data: one\n\n", ":\n", "data: two\n\n", ":\n"), out.writes());
        assertEquals(SseStream.State.IDLE, stream.state());

        stream.heartbeat(0); // a keep-alive is a comment: its chunk's end can wait
        runAll(lane);
        assertEquals(":\n\n", out.writes().get(out.writes().size() - 1));
        assertEquals(SseStream.State.IDLE, stream.state());
    }

    /**
     * What a full queue dropped goes out from the hub's history, in its place and in order, instead
     * of the {@code reset} that reports the loss; without a source of history the reset is sent.
     */
    @ParameterizedTest(name = "history read back: {0}")
    @ValueSource(booleans = {true, false})
    void whatAFullQueueDroppedIsSentFromHistoryInsteadOfReportedLost(boolean readBack) throws Exception {
        Hub hub = new Hub(new SseEncoder(), new HistoryLimits(100, Duration.ofMinutes(1), 1_000_000), "ep", System::nanoTime);
        Queue<Runnable> lane = new ArrayDeque<>();
        WriteLog out = new WriteLog();
        SseStream stream = new SseStream(asyncContext(), out, ContainerOutput.byteBuffers(WriteLog.class), lane::add,
                sink -> new Subscriber("gaps", 2, sink), (s, reason) -> { }, StreamObserver.NONE);
        if (readBack) {
            stream.repairGapsFrom(hub::retainedGap);
        }
        hub.subscribe(stream.subscriber());
        stream.start(() -> { }, List.of(": ready\n\n".getBytes(StandardCharsets.UTF_8)));
        runAll(lane);
        for (int i = 0; i < 6; i++) {
            hub.publish(new Message("gaps", "m" + i)); // the queue holds two: m2 to m5 are dropped
        }
        runAll(lane);
        hub.publish(new Message("gaps", "m6"));
        runAll(lane);
        String wire = String.join("", out.writes());
        List<String> data = wire.lines().filter(line -> line.startsWith("data: m")).toList();
        if (readBack) {
            assertEquals(List.of("data: m0", "data: m1", "data: m2", "data: m3", "data: m4", "data: m5", "data: m6"), data);
            assertFalse(wire.contains("event: reset"), wire);
        } else {
            assertEquals(List.of("data: m0", "data: m1", "data: m6"), data);
            assertTrue(wire.indexOf("event: reset") > wire.indexOf("data: m1") && wire.indexOf("event: reset") < wire.indexOf("data: m6"), wire);
        }
    }

    /**
     * A probe round hands each lane its resting streams in a few batch tasks, not a task per
     * stream; each probed stream writes one empty comment line, and a stream that is writing is
     * left alone.
     */
    @Test
    void aProbeRoundHandsEachLaneItsRestingStreamsInBatches() throws Exception {
        Queue<Runnable> lane = new ArrayDeque<>();
        Executor writer = lane::add; // one lane for all
        StreamRegistry registry = new StreamRegistry();
        List<WriteLog> outs = new ArrayList<>();
        List<SseStream> streams = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            WriteLog out = new WriteLog();
            streams.add(started(writer, registry, "probed", out));
            outs.add(out);
        }
        runAll(lane); // the preambles
        hub.publish(new Message("other", "x")); // nobody's
        streams.get(0).heartbeat(0); // woken: WRITING until its lane runs it

        registry.probe(0, 0);

        assertEquals(3, lane.size(), "the heartbeat's drain, then 199 resting streams in batches of 128");
        runAll(lane);
        assertEquals(List.of(": ready\n\n", ":\n\n"), outs.get(0).writes());
        for (WriteLog out : outs.subList(1, outs.size())) {
            assertEquals(List.of(": ready\n\n", ":\n"), out.writes());
        }
        assertTrue(streams.stream().allMatch(stream -> stream.state() == SseStream.State.IDLE));
    }

    /**
     * Probe rounds under a rate take the quiet streams in turn, a round's share each, so every one
     * is probed once before any is probed again; over the node's stream limit (a storm's ghosts
     * still counted) a round probes every quiet stream.
     */
    @Test
    void probeRoundsUnderARateTakeTheQuietStreamsInTurnButAllOfThemOverTheLimit() throws Exception {
        Queue<Runnable> lane = new ArrayDeque<>();
        StreamRegistry registry = new StreamRegistry(300, 0, () -> SseEncoder.retry(1_000), Runnable::run,
                TimeUnit.SECONDS.toNanos(3));
        List<WriteLog> outs = opened(lane, registry, 200);
        long interval = TimeUnit.MILLISECONDS.toNanos(100); // quiet after 50 ms; 500 a second is 50 a round
        registry.probe(interval, 500); // the round in which the 200 opened: their opening spent its budget
        Thread.sleep(60);
        for (int round = 1; round <= 4; round++) {
            probeRound(lane, registry, interval, 500);
            int finalRound = round;
            assertEquals(50 * round, probedOnce(outs), "after round " + round + ", each stream probed at most once");
            assertTrue(outs.stream().allMatch(out -> out.writes().size() <= 2), "round " + finalRound);
        }

        Thread.sleep(60);
        for (int i = 0; i < 150; i++) {
            registry.admit("client"); // 350 admitted: over the limit of 300
        }
        probeRound(lane, registry, interval, 500);
        assertTrue(outs.stream().allMatch(out -> out.writes().size() == 3), "over the limit, every quiet stream");
    }

    /**
     * Streams that open spend a probe round's budget, one write each: probes yield to a burst of
     * connects, then go on from where they stopped.
     */
    @Test
    void streamsOpeningSpendTheProbeBudgetSoAConnectBurstIsNotSlowedByProbes() throws Exception {
        Queue<Runnable> lane = new ArrayDeque<>();
        StreamRegistry registry = new StreamRegistry(1_000, 0, () -> SseEncoder.retry(1_000), Runnable::run,
                TimeUnit.SECONDS.toNanos(3));
        List<WriteLog> all = new ArrayList<>(opened(lane, registry, 200));
        // quiet after 500 ms, 50 a second is 50 a round: a stream opened or probed here stays
        // unquiet for the rest of the test, however slow the machine
        long interval = TimeUnit.SECONDS.toNanos(1);
        registry.probe(interval, 50);
        Thread.sleep(600);
        all.addAll(opened(lane, registry, 30)); // during the round
        probeRound(lane, registry, interval, 50);
        assertEquals(20, probes(all), "50 less the 30 opened");

        all.addAll(opened(lane, registry, 60)); // more than a round's budget
        probeRound(lane, registry, interval, 50);
        assertEquals(20, probes(all), "no probe while opening");

        probeRound(lane, registry, interval, 50); // the burst is over: the whole budget, from the cursor on
        assertEquals(70, probes(all), "the next 50 quiet streams");
        assertTrue(all.stream().allMatch(out -> out.writes().size() <= 2), "none probed twice");
    }

    /**
     * One housekeeping pass closes the streams whose deadline passed or whose credential was
     * revoked, each with its reason, and leaves every other stream alone.
     */
    @Test
    void oneHousekeepingPassClosesTheExpiredAndTheRevokedAndNoOther() throws Exception {
        StreamRegistry registry = new StreamRegistry();
        Map<SseStream, CloseReason> closed = new ConcurrentHashMap<>();
        List<SseStream> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SseStream stream = new SseStream(asyncContext(), new WriteLog(), ContainerOutput.byteBuffers(WriteLog.class),
                    Runnable::run, sink -> new Subscriber("kept", 16, sink), closed::put, StreamObserver.NONE);
            stream.start(() -> { }, List.of(": ready\n\n".getBytes(StandardCharsets.UTF_8)));
            registry.add(stream);
            streams.add(stream);
        }
        streams.get(0).closeAt(System.nanoTime() - 1); // its token expired
        streams.get(1).revokeWhen(() -> true); // its key was withdrawn
        streams.get(2).closeAt(System.nanoTime() + TimeUnit.HOURS.toNanos(1));

        registry.enforce(TimeUnit.SECONDS.toNanos(3));

        assertEquals(Map.of(streams.get(0), CloseReason.EXPIRED, streams.get(1), CloseReason.REVOKED), closed);
        assertFalse(streams.get(2).isClosed());
        assertFalse(streams.get(3).isClosed());
    }

    /** {@code count} streams admitted, started on {@code lane} and added to {@code registry}; the lane has run. */
    private List<WriteLog> opened(Queue<Runnable> lane, StreamRegistry registry, int count) throws IOException {
        List<WriteLog> outs = new ArrayList<>();
        Executor writer = lane::add; // one writer lane for all of them
        for (int i = 0; i < count; i++) {
            assertEquals(StreamRegistry.Admission.ADMITTED, registry.admit("client"));
            WriteLog out = new WriteLog();
            started(writer, registry, "rated", out);
            outs.add(out);
        }
        runAll(lane);
        return outs;
    }

    private static void probeRound(Queue<Runnable> lane, StreamRegistry registry, long interval, int perSecond) {
        registry.probe(interval, perSecond);
        runAll(lane);
    }

    private static void runAll(Queue<Runnable> lane) {
        while (!lane.isEmpty()) {
            lane.remove().run();
        }
    }

    /** Probes written to {@code outs}: every write after a stream's first. */
    private static int probes(List<WriteLog> outs) {
        return outs.stream().mapToInt(out -> out.writes().size() - 1).sum();
    }

    /** Streams that wrote their ready line and one probe. */
    private static long probedOnce(List<WriteLog> outs) {
        return outs.stream().filter(out -> out.writes().size() == 2).count();
    }

    /**
     * A stream of {@code topic} writing to {@code out} on {@code lane}, subscribed, started with a
     * ready line (run once the lane runs) and added to {@code registry}.
     */
    private SseStream started(Executor lane, StreamRegistry registry, String topic, WriteLog out) throws IOException {
        SseStream stream = new SseStream(asyncContext(), out, ContainerOutput.byteBuffers(WriteLog.class), lane,
                sink -> new Subscriber(topic, 16, sink), (s, reason) -> { }, StreamObserver.NONE);
        hub.subscribe(stream.subscriber());
        stream.start(() -> { }, List.of(": ready\n\n".getBytes(StandardCharsets.UTF_8)));
        registry.add(stream);
        return stream;
    }

    /** Streams on topic {@code t}, started, each with its fake output; closes are recorded. */
    private record Opened(List<SseStream> streams, List<FakeOutput> outputs, Map<SseStream, CloseReason> closed) {
        void assertNoViolations() {
            for (FakeOutput out : outputs) {
                assertEquals(List.of(), out.violations());
                if (out instanceof BufferOutput buffers) {
                    assertTrue(buffers.buffersWritten() > 0, "frames written through write(ByteBuffer)");
                    assertEquals(0, out.arraysWritten(), "frames written through write(byte[])");
                    assertEquals(0, out.flushes(), "flushes after writes that were sent already");
                }
            }
        }
    }

    private Opened open(int count, int capacity, Writes writes) throws IOException {
        Opened opened = new Opened(new ArrayList<>(), new ArrayList<>(), new ConcurrentHashMap<>());
        for (int i = 0; i < count; i++) {
            FakeOutput out = switch (writes) {
                case ARRAYS -> new FakeOutput(container);
                case BUFFERS -> new BufferOutput(container);
                case CHUNKS -> new ChunkOutput(container);
            };
            SseStream stream = new SseStream(asyncContext(), out,
                    writes == Writes.ARRAYS ? ContainerOutput.of(out) : ContainerOutput.byteBuffers(out.getClass()),
                    writers.lane(),
                    sink -> new Subscriber("t", capacity, sink),
                    (s, reason) -> {
                        if (opened.closed().put(s, reason) != null) {
                            out.violation("closed twice");
                        }
                    }, StreamObserver.NONE);
            if (writes == Writes.CHUNKS) {
                stream.endChunks();
            }
            hub.subscribe(stream.subscriber());
            stream.start(() -> { }, List.of(": ready\n\n".getBytes(StandardCharsets.UTF_8)));
            opened.outputs().add(out);
            opened.streams().add(stream);
        }
        return opened;
    }

    private static AsyncContext asyncContext() {
        AsyncContext async = mock(AsyncContext.class);
        doAnswer(call -> null).when(async).addListener(any(AsyncListener.class));
        return async;
    }

    /**
     * A non-blocking response body: a write or flush may stay in flight for a while, during which
     * {@code isReady()} is false; when it lands the container calls {@code onWritePossible()} if
     * (and only if) someone saw {@code isReady()} false. Misuse is recorded, not thrown, so the
     * test reports it even when it happens on a writer thread.
     */
    private static class FakeOutput extends ServletOutputStream {

        private final ExecutorService container;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        /** Bytes written but, like a container's response buffer, not sent until a flush. */
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private final List<String> violations = new ArrayList<>();
        private final AtomicInteger inside = new AtomicInteger();
        private WriteListener listener;
        private boolean inFlight;
        private boolean owesCallback;
        private boolean lastReady;
        private int arraysWritten;
        private int flushes;

        FakeOutput(ExecutorService container) {
            this.container = container;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            this.listener = listener;
            container.execute(this::writePossible);
        }

        @Override
        public synchronized boolean isReady() {
            enter();
            try {
                lastReady = !inFlight;
                if (inFlight) {
                    owesCallback = true;
                }
                return lastReady;
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            accept(bytes, off, len);
            synchronized (this) {
                arraysWritten++;
            }
        }

        final void accept(byte[] bytes, int off, int len) {
            enter();
            try {
                synchronized (this) {
                    if (!lastReady) {
                        violation("write while not ready");
                    }
                    (sends() ? body : held).write(bytes, off, len);
                    maybeStall();
                }
            } finally {
                inside.decrementAndGet();
            }
        }

        synchronized int arraysWritten() {
            return arraysWritten;
        }

        synchronized int flushes() {
            return flushes;
        }

        /** Whether a write is sent at once; otherwise it waits in {@link #held} for a flush. */
        boolean sends() {
            return false;
        }

        @Override
        public void flush() {
            enter();
            try {
                synchronized (this) {
                    if (!lastReady) {
                        violation("flush while not ready");
                    }
                    body.write(held.toByteArray(), 0, held.size());
                    held.reset();
                    flushes++;
                    maybeStall();
                }
            } finally {
                inside.decrementAndGet();
            }
        }

        /** About one write in three stays in flight and lands later on a container thread. */
        private void maybeStall() {
            lastReady = false; // the spec: call isReady() again before the next write
            if (ThreadLocalRandom.current().nextInt(3) != 0) {
                return;
            }
            inFlight = true;
            container.execute(() -> {
                boolean callback;
                synchronized (this) {
                    inFlight = false;
                    callback = owesCallback;
                    owesCallback = false;
                }
                if (callback) {
                    writePossible();
                }
            });
        }

        private void writePossible() {
            try {
                listener.onWritePossible();
            } catch (IOException | RuntimeException e) {
                violation("onWritePossible threw " + e);
            }
        }

        private void enter() {
            if (inside.incrementAndGet() != 1) {
                violation("used by two threads at once");
            }
        }

        synchronized void violation(String what) {
            violations.add(what);
        }

        synchronized List<String> violations() {
            return List.copyOf(violations);
        }

        private synchronized String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        /** What a client can use of what was sent: all of it, here. */
        synchronized String usable() {
            return text();
        }

        synchronized int sent() {
            return body.size();
        }

        /** How many data frames arrived, whole, for a client to use. */
        int frames() {
            String text = usable();
            int count = 0;
            for (int at = text.indexOf("data: "); at >= 0; at = text.indexOf("data: ", at + 1)) {
                count++;
            }
            return count;
        }

        /** Each publisher's frames arrived exactly once each, in the order published. */
        void assertInOrder(int publishers, int messages) {
            int[] next = new int[publishers];
            for (String line : text().split("\n")) {
                if (line.startsWith("data: ")) {
                    String[] parts = line.substring(6).split("-");
                    int publisher = Integer.parseInt(parts[0]);
                    assertEquals(next[publisher], Integer.parseInt(parts[1]), "frame order of publisher " + publisher);
                    next[publisher]++;
                }
            }
            for (int p = 0; p < publishers; p++) {
                assertEquals(messages, next[p], "frames of publisher " + p);
            }
            assertTrue(text().startsWith(": ready\n\n"), "the preamble comes first");
        }
    }

    /**
     * A Servlet 6.1 output stream that also takes a {@link ByteBuffer} and, as Jetty's does, sends
     * it at once, so a flush has nothing to add. Public, as containers' are.
     */
    public static class BufferOutput extends FakeOutput {

        private int buffersWritten;

        BufferOutput(ExecutorService container) {
            super(container);
        }

        public void write(ByteBuffer buffer) {
            accept(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            synchronized (this) {
                buffersWritten++;
            }
        }

        synchronized int buffersWritten() {
            return buffersWritten;
        }

        @Override
        boolean sends() {
            return true;
        }
    }

    /**
     * Jetty's chunks over HTTP/1.1: a write is sent at once, but the end of its chunk only with the
     * next write, so a client that waits for a chunk's end (urllib3) can use every write but the last.
     */
    public static final class ChunkOutput extends BufferOutput {

        /** Where the last write began: a client has everything before it. */
        private int lastWriteAt;

        ChunkOutput(ExecutorService container) {
            super(container);
        }

        @Override
        public void write(ByteBuffer buffer) {
            synchronized (this) {
                lastWriteAt = sent();
            }
            super.write(buffer);
        }

        @Override
        synchronized String usable() {
            return super.usable().substring(0, lastWriteAt); // the frames are ASCII: chars are bytes
        }
    }

    /** Always ready; records each {@code write(ByteBuffer)} on its own. Public, as containers' are. */
    public static final class WriteLog extends ServletOutputStream {

        private final List<String> writes = new ArrayList<>();

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            try {
                listener.onWritePossible();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        public void write(ByteBuffer buffer) {
            writes.add(StandardCharsets.UTF_8.decode(buffer).toString());
        }

        @Override
        public void write(int b) {
            throw new AssertionError("a stream writes through write(ByteBuffer) here");
        }

        List<String> writes() {
            return List.copyOf(writes);
        }
    }
}
