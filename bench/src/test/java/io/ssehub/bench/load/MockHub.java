package io.ssehub.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny in-process SSE hub on 127.0.0.1 with ssehub's API ({@code GET /events/{topic}},
 * {@code POST /publish}) that misbehaves on purpose: a {@link Fault} decides for each subscriber
 * (numbered in connection order from 0) and each measured sequence number whether the event is
 * dropped, sent once or sent twice. Streams are chunked and deliberately awkward to parse: each
 * subscriber gets a different line ending (LF, CRLF, CR), comments, {@code id:} lines, a
 * {@code ready} event, and each frame is flushed in two pieces split mid-line.
 *
 * <p>Reconnections: every event gets the next number as its {@code id} and is kept; a subscription
 * with {@code Last-Event-ID} is first sent what came after that ID, then the live events, with
 * nothing lost or repeated in between unless a {@link Resume} policy says otherwise. A
 * {@link Resume} policy may also have the hub end resumed streams itself, as ssehub ends a stream
 * opened over its limit: a {@code retry:} hint, then the end of the response.
 *
 * <p>Publishes: an {@link Answers} policy picks how each measured publish is answered (by default
 * 200 with a Content-Length), {@link #holdPublishesFrom} keeps later ones unanswered until the hub
 * closes, and {@link #publishLog()} tells what came in and what went out.
 */
final class MockHub implements AutoCloseable {

    /** How often subscriber {@code subscriber} gets message {@code seq}: 0, 1 or 2 times. */
    @FunctionalInterface
    interface Fault {
        int copies(int subscriber, long seq);
    }

    /** How a measured publish is answered. */
    enum Answer {
        /** 200 with a Content-Length. */
        OK,
        /** 200 with a chunked body, flushed in pieces. */
        CHUNKED,
        /** 503, not delivered. */
        ERROR,
        /** 200 with {@code Connection: close}, then the connection is closed. */
        CLOSE,
        /** No answer: the connection is closed, the message not delivered. */
        DROP
    }

    /** Picks the answer to measured message {@code seq}. */
    @FunctionalInterface
    interface Answers {
        Answer answer(long seq);
    }

    /**
     * How the hub treats subscriptions that resume with {@code Last-Event-ID}.
     *
     * @param ids     whether events carry {@code id:} lines (and resumptions replay); false is a hub
     *                with no history, as the container's floor
     * @param refused how many resumptions, the first ones to arrive, are answered 503
     * @param lossy   which resumption (0 = the first one accepted) does not get its first measured
     *                event, replayed or live; -1 for none
     * @param closes  how many resumptions, the first ones accepted, the hub ends after their first
     *                live event: {@code retry: }{@value #CLOSE_RETRY_MILLIS}, then the response's end
     * @param announced whether the lossy resumption gets an {@code event: reset} in place of the
     *                event it does not get, as ssehub announces frames it dropped
     */
    record Resume(boolean ids, int refused, int lossy, int closes, boolean announced) {
        static final Resume FAITHFUL = new Resume(true, 0, -1);

        Resume(boolean ids, int refused, int lossy) {
            this(ids, refused, lossy, 0, false);
        }
    }

    /** The reconnection time the hub asks for when it ends a stream itself. */
    static final int CLOSE_RETRY_MILLIS = 200;

    /**
     * What the hub saw of measured publishes.
     *
     * @param received     sequence numbers that arrived
     * @param repeats      arrivals of a sequence number that had arrived before
     * @param answeredOk   sequence numbers answered with 2xx
     * @param errorAnswers answers with another status
     * @param closeAnswers 2xx answers with {@code Connection: close}
     * @param chunked      2xx answers with a chunked body
     * @param dropped      connections closed instead of answering
     * @param held         publishes held unanswered
     * @param hosts        the Host headers seen
     */
    record PublishLog(BitSet received, long repeats, BitSet answeredOk, long errorAnswers, long closeAnswers,
                      long chunked, long dropped, long held, Set<String> hosts) {
    }

    static {
        // The JDK server writes a head and its body separately; without this, Nagle's algorithm
        // holds each body until the client's delayed ACK, some 40 ms an answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Pattern MSG = Pattern.compile("\"msg\":\"([^\"]*)\"");
    private static final Pattern SEQ = Pattern.compile("^m:(\\d+):");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Fault fault;
    private final Answers answers;
    private final Resume resume;
    /** Every event sent, in order: index i has id i + 1. Guarded by itself, which also orders delivery against replay. */
    private final List<String> history = new ArrayList<>();
    private int subscriptions;
    private int resumptionsSeen;
    private int resumptionsAccepted;
    private volatile Long holdFrom;
    // The publish log, guarded by itself.
    private final BitSet received = new BitSet();
    private final BitSet answeredOk = new BitSet();
    private final Set<String> hosts = new HashSet<>();
    private long repeats;
    private long errorAnswers;
    private long closeAnswers;
    private long chunked;
    private long dropped;
    private long held;

    MockHub(Fault fault) throws IOException {
        this(fault, seq -> Answer.OK);
    }

    MockHub(Fault fault, Answers answers) throws IOException {
        this(fault, answers, Resume.FAITHFUL);
    }

    MockHub(Fault fault, Resume resume) throws IOException {
        this(fault, seq -> Answer.OK, resume);
    }

    MockHub(Fault fault, Answers answers, Resume resume) throws IOException {
        this.fault = fault;
        this.answers = answers;
        this.resume = resume;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(threads);
        server.createContext("/events/", this::subscribe);
        server.createContext("/publish", this::publish);
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    /** Measured publishes arriving at or after {@code nanoTime} ({@link System#nanoTime()}) stay unanswered until {@link #close()}. */
    void holdPublishesFrom(long nanoTime) {
        holdFrom = nanoTime;
    }

    PublishLog publishLog() {
        synchronized (received) {
            return new PublishLog((BitSet) received.clone(), repeats, (BitSet) answeredOk.clone(), errorAnswers,
                    closeAnswers, chunked, dropped, held, Set.copyOf(hosts));
        }
    }

    private final class Stream {
        final int index;
        final HttpExchange exchange;
        final OutputStream out;
        final String eol;
        /** Set on the lossy resumption: its next measured event is withheld. */
        boolean withholdNextMeasured;
        /** Set on a resumption the hub ends after its first live event. */
        boolean endAfterLive;

        Stream(int index, HttpExchange exchange) {
            this.index = index;
            this.exchange = exchange;
            this.out = exchange.getResponseBody();
            this.eol = switch (index % 3) {
                case 0 -> "\n";
                case 1 -> "\r\n";
                default -> "\r";
            };
        }

        synchronized void send(String frame) {
            byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
            int half = bytes.length / 2;
            try {
                out.write(bytes, 0, half);
                out.flush();
                out.write(bytes, half, bytes.length - half);
                out.flush();
            } catch (IOException gone) {
                streams.remove(this);
            }
        }
    }

    private void subscribe(HttpExchange exchange) throws IOException {
        String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        synchronized (history) {
            if (lastEventId != null && resumptionsSeen++ < resume.refused()) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0); // 0: chunked
            Stream stream = new Stream(subscriptions++, exchange);
            String e = stream.eol;
            stream.send("event: ready" + e + "data: subscribed" + e + e + ":hello" + e + e);
            if (lastEventId != null && resume.ids()) {
                stream.withholdNextMeasured = resumptionsAccepted == resume.lossy();
                stream.endAfterLive = resumptionsAccepted++ < resume.closes();
                for (int id = Integer.parseInt(lastEventId) + 1; id <= history.size(); id++) {
                    sendEvent(stream, id, history.get(id - 1), 0);
                }
            }
            streams.add(stream);
        }
        awaitClose();
        exchange.close();
    }

    /** Sends one event (copy {@code copy} of it) unless the stream withholds it; the caller holds {@code history}. */
    private void sendEvent(Stream stream, int id, String text, int copy) {
        String e = stream.eol;
        if (stream.withholdNextMeasured && text.startsWith("m:")) {
            stream.withholdNextMeasured = false;
            if (resume.announced()) {
                stream.send("event: reset" + e + "data: {\"dropped\":1}" + e + e);
            }
            return;
        }
        stream.send((resume.ids() ? "id: " + id + e : "") + "data: " + text + e + e + (copy == 0 ? ":" + e : ""));
    }

    /**
     * Ends a stream as ssehub ends one it admitted over its limit: a {@code retry:} hint, then the
     * response's last chunk (the connection stays open for another request, as a container keeps
     * it). The caller holds {@code history}.
     */
    private void end(Stream stream) {
        streams.remove(stream);
        stream.send("retry: " + CLOSE_RETRY_MILLIS + stream.eol + stream.eol);
        stream.exchange.close();
    }

    private void publish(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher msg = MSG.matcher(body);
        if (!msg.find()) {
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
            return;
        }
        String text = msg.group(1);
        Matcher seq = SEQ.matcher(text);
        Answer answer = Answer.OK;
        if (seq.find()) {
            long n = Long.parseLong(seq.group(1));
            answer = arrived(n, exchange.getRequestHeaders().getFirst("Host"));
            if (answer == null) {
                awaitClose();
                exchange.close();
                return;
            }
        }
        if (answer == Answer.ERROR) {
            byte[] busy = "busy".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, busy.length);
            exchange.getResponseBody().write(busy);
            exchange.close();
            return;
        }
        if (answer == Answer.DROP) {
            exchange.close(); // closed before any answer: the server drops the connection
            return;
        }
        int delivered = 0;
        synchronized (history) {
            history.add(text);
            int id = history.size();
            for (Stream stream : streams) {
                int copies = seq.find(0) ? fault.copies(stream.index, Long.parseLong(seq.group(1))) : 1;
                for (int i = 0; i < copies; i++) {
                    sendEvent(stream, id, text, i);
                }
                delivered += copies > 0 ? 1 : 0;
                if (stream.endAfterLive) {
                    end(stream);
                }
            }
        }
        byte[] json = ("{\"delivered\":" + delivered + ",\"topic\":\"t\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (answer == Answer.CLOSE) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        if (answer == Answer.CHUNKED) {
            exchange.sendResponseHeaders(200, 0); // 0: chunked
            OutputStream out = exchange.getResponseBody();
            int half = json.length / 2;
            out.write(json, 0, half);
            out.flush();
            out.write(json, half, json.length - half);
        } else {
            exchange.sendResponseHeaders(200, json.length);
            exchange.getResponseBody().write(json);
        }
        exchange.close();
    }

    /** Logs a measured publish and picks its answer (booked as given); null: hold it. */
    private Answer arrived(long seq, String host) {
        Answer answer = answers.answer(seq);
        synchronized (received) {
            if (received.get((int) seq)) {
                repeats++;
            }
            received.set((int) seq);
            if (host != null) {
                hosts.add(host);
            }
            Long hold = holdFrom;
            if (hold != null && System.nanoTime() - hold >= 0) {
                held++;
                return null;
            }
            switch (answer) {
                case ERROR -> errorAnswers++;
                case DROP -> dropped++;
                default -> {
                    answeredOk.set((int) seq);
                    closeAnswers += answer == Answer.CLOSE ? 1 : 0;
                    chunked += answer == Answer.CHUNKED ? 1 : 0;
                }
            }
        }
        return answer;
    }

    private void awaitClose() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
