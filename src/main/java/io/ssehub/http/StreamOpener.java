package io.ssehub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssehub.hub.Broker;
import io.ssehub.hub.Frame;
import io.ssehub.hub.PublishRules;
import io.ssehub.hub.StartPosition;
import io.ssehub.hub.Subscriber;
import io.ssehub.hub.Subscription;
import io.ssehub.sse.CloseReason;
import io.ssehub.sse.ContainerOutput;
import io.ssehub.sse.SseEncoder;
import io.ssehub.sse.SseStream;
import io.ssehub.sse.StreamObserver;
import io.ssehub.sse.StreamRegistry;
import io.ssehub.sse.TomcatStreamTrim;
import io.ssehub.sse.WriterPool;
import io.ssehub.http.filter.RequestIdFilter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Opens an event stream for a subscriber, whatever front end asked for it: starts async
 * processing with the timeout off, attaches the subscriber through the broker, sends the SSE
 * headers and the preamble (a first frame, then a {@code reset} if part of the gap is gone, then
 * the replay) and hands the response to an {@link SseStream}. Call it only after every check of
 * the request passed: from here on the request becomes a stream or a 503.
 */
public final class StreamOpener {

    private static final Logger log = LoggerFactory.getLogger(StreamOpener.class);
    static final int MAX_LAST_EVENT_ID = 128;
    static final int RETRY_AFTER_SECONDS = 5;
    /**
     * What a stream request may send (a body, or anything after its head) before its stream is
     * closed: a stream has no use for it, so it is read and discarded, never kept.
     */
    static final long MAX_INPUT_BYTES = 64 * 1024;

    /**
     * What to open.
     *
     * @param firstFrame   the first frame, given the position the stream starts after (an id, or
     *                     {@code earliest}), which it carries so that every client can resume
     * @param closeAtNanos when the credential that admitted it expires ({@link #closeAtNanos}), or 0
     * @param revoked      turns true when that credential is withdrawn; the stream is then closed
     * @param onClose      run once when the stream has closed, or {@code null}
     */
    public record Request(Function<Subscriber.Sink, Subscriber> subscriber, StartPosition from,
                          Function<String, byte[]> firstFrame,
                          boolean tagged, long closeAtNanos, BooleanSupplier revoked, Consumer<SseStream> onClose) {
    }

    private final Broker broker;
    private final StreamRegistry streams;
    private final WriterPool writers;
    private final int bufferBytes;
    /** The streams' lines of the access log; at many thousands of connects a second they cost. */
    private final boolean streamLog;
    private final ObjectMapper json;
    private final ProblemWriter problems;
    private final StreamObserver observer;
    private final ClientAddress clients;

    public StreamOpener(Services services) {
        this.clients = services.clientLimits().clients();
        this.observer = services.operations().streamObserver();
        this.broker = services.broker();
        this.streams = services.streams();
        this.writers = services.writers();
        this.bufferBytes = services.limits().streamBufferBytes();
        this.streamLog = services.operations().streamLog();
        this.json = services.json();
        this.problems = new ProblemWriter(services.json());
    }

    /**
     * The {@link System#nanoTime()} at which a stream admitted by credentials expiring at
     * {@code expires} must close, or 0 (never) for credentials that do not expire.
     */
    public static long closeAtNanos(Instant expires) {
        return expires == null ? 0 : System.nanoTime() + Math.max(1, Duration.between(Instant.now(), expires).toNanos());
    }

    /**
     * The resume point of a request: the {@code Last-Event-ID} header, else the query parameter
     * {@code queryName} (a browser cannot set headers on its first request, and on reconnect its
     * header holds the newer id), else live; {@code earliest} replays all retained history.
     */
    public static StartPosition startPosition(HttpServletRequest request, String queryName) {
        String id = request.getHeader("Last-Event-ID");
        if (id == null || id.isEmpty()) {
            id = QueryParameter.of(request, queryName);
        }
        if (id == null || id.isEmpty()) {
            return StartPosition.LIVE;
        }
        if (id.length() > MAX_LAST_EVENT_ID || PublishRules.hasControl(id)) {
            // The stream's first frame echoes it as its id: a line break there would forge a frame.
            throw ProblemException.badRequest("invalid-last-event-id", "Invalid Last-Event-ID",
                    "a Last-Event-ID is at most " + MAX_LAST_EVENT_ID + " characters, without control characters");
        }
        return id.equals("earliest") ? StartPosition.EARLIEST : StartPosition.after(id);
    }

    /**
     * @return whether the stream opened; when not, the response was answered (503) and is done
     * @throws ProblemException 503 before anything is written when the hub is shutting down
     */
    public boolean open(HttpServletRequest request, HttpServletResponse response, Request what) throws IOException {
        if (request.getMethod().equals("HEAD")) {
            response.setStatus(HttpServletResponse.SC_OK); // what a GET would start with, but no stream
            response.setContentType("text/event-stream;charset=UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            return false;
        }
        String client = clients.of(request);
        StreamRegistry.Admission admission = admit(client);
        String requestId = streamLog ? RequestIdFilter.of(response) : null; // only the stream log names it
        SseStream stream;
        try {
            // A stream sends each batch of small frames as soon as it is written, so where the
            // container holds a response buffer for the whole life of the stream a large one only
            // costs memory: left alone, Undertow would hold a pooled 16 KiB one. What suits each
            // container is in ContainerOutput, used unless the size is configured.
            ServletOutputStream out = response.getOutputStream();
            ContainerOutput container = ContainerOutput.of(out);
            int buffer = bufferBytes >= 0 ? bufferBytes : container.autoBufferBytes();
            if (buffer != ContainerOutput.CONTAINER_DEFAULT) {
                response.setBufferSize(buffer);
            }
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            TomcatStreamTrim.release(request, response, async); // before another thread reads or writes the request
            // The close handler lives as long as the stream: it keeps only what closing needs, not
            // the whole request (its first frame, its subscriber factory).
            Consumer<SseStream> onClose = what.onClose();
            stream = new SseStream(async, out, container, writers.lane(), what.subscriber(),
                    (closed, reason) -> closed(closed, reason, onClose, requestId, client), observer);
            stream.repairGapsFrom(broker);
            if (admission == StreamRegistry.Admission.OVERDRAWN) {
                streams.overdrawn(stream);
            }
            String protocol = request.getProtocol();
            if (container.holdsChunkEnds() && protocol.equals("HTTP/1.1")) {
                stream.endChunks(); // HTTP/1.1 chunks a stream; HTTP/1.0 and HTTP/2 do not
            }
            if (mayHaveBody(request, protocol)) {
                stream.watchInput(request.getInputStream(), MAX_INPUT_BYTES);
            }
        } catch (IOException | RuntimeException | Error e) {
            streams.release(client);
            throw e;
        }
        // From here on the stream releases everything it holds when it closes, once, whatever
        // closes it; this thread owns its response until start() hands it over, and ends it with
        // refuse() if it never starts.
        Subscription subscription;
        try {
            // Attached before it is registered: a shutdown or resync that closes every registered
            // stream cannot reach it while the backplane is asked (up to seconds).
            subscription = Brokers.await(broker.attach(stream.subscriber(), what.from()), "subscribe");
        } catch (ProblemException unavailable) {
            stream.refuse(() -> problems.write(request, response, unavailable), CloseReason.REFUSED);
            return false;
        } catch (RuntimeException | Error e) {
            stream.refuse(() -> { }, CloseReason.REFUSED);
            throw e;
        }
        if (!streams.add(stream)) {
            refuseStopping(request, response, stream);
            return false;
        }
        if (what.closeAtNanos() != 0) {
            stream.closeAt(what.closeAtNanos());
        }
        stream.revokeWhen(what.revoked());
        Runnable head = () -> {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream;charset=UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            response.setHeader("Last-Event-ID", subscription.startsAfter());
        };
        if (!stream.start(head, preamble(what, subscription))) {
            refuseStopping(request, response, stream); // closed (shutdown, resync) before it could start
            return false;
        }
        if (streamLog) {
            log.info("stream opened on {} after {}", stream.subscriber().topics(), subscription.startsAfter());
        }
        return true;
    }

    /**
     * Whether the request may send a body, which its stream must then read: over HTTP/1.x only one
     * that declares it ({@code Content-Length} above 0, or {@code Transfer-Encoding}). A bodyless
     * {@code GET} is left unwatched: its container reads nothing more of the connection while the
     * stream is open, so a listener would only be told at once that its input has ended, one more
     * container callback per stream for nothing.
     */
    static boolean mayHaveBody(HttpServletRequest request, String protocol) {
        return !protocol.startsWith("HTTP/1.") || request.getContentLengthLong() > 0
                || request.getHeader("Transfer-Encoding") != null;
    }

    /** Answers a stream that a shutdown or a mass close reached before it started: its client retries. */
    private void refuseStopping(HttpServletRequest request, HttpServletResponse response, SseStream stream) {
        stream.refuse(() -> problems.write(request, response,
                ProblemException.unavailable("the stream was closed before it opened; retry", 1)), CloseReason.REFUSED);
    }

    /** Counts the stream against the node's and the client's limits before anything is opened. */
    private StreamRegistry.Admission admit(String client) {
        StreamRegistry.Admission admission = streams.admit(client);
        return switch (admission) {
            case ADMITTED, OVERDRAWN -> admission;
            case NODE_FULL -> throw ProblemException.overloaded("too-many-streams",
                    "this node has reached its limit of open streams", RETRY_AFTER_SECONDS);
            case CLIENT_FULL -> throw ProblemException.tooManyRequests("too-many-streams",
                    "this client has reached its limit of open streams", RETRY_AFTER_SECONDS);
            case SHUT_DOWN -> throw ProblemException.unavailable("the hub is shutting down", 1);
        };
    }

    private List<byte[]> preamble(Request what, Subscription subscription) {
        List<byte[]> frames = new ArrayList<>(subscription.replay().size() + 2);
        frames.add(what.firstFrame().apply(subscription.startsAfter()));
        Subscription.Reset reset = subscription.reset();
        if (reset != null) {
            frames.add(SseEncoder.named("reset", subscription.startsAfter(), resetData(reset)));
        }
        for (Frame frame : subscription.replay()) {
            frames.add(frame.bytes(what.tagged()));
        }
        return frames;
    }

    /** {@code {"lastEventId":"<as requested>","oldestAvailable":"<id>"|null}} */
    private String resetData(Subscription.Reset reset) {
        ObjectNode data = json.createObjectNode().put("lastEventId", reset.requested());
        data.put("oldestAvailable", reset.oldestAvailable());
        return data.toString();
    }

    /** Runs on whichever thread closed the stream, so the request id is logged explicitly. */
    private void closed(SseStream stream, CloseReason reason, Consumer<SseStream> onClose, String requestId,
                        String client) {
        broker.detach(stream.subscriber());
        streams.remove(stream);
        streams.release(client);
        if (onClose != null) {
            onClose.accept(stream);
        }
        if (streamLog) {
            log.info("stream closed on {}: {} after {} ms, {} dropped, request {}", stream.subscriber().topics(),
                    reason.name().toLowerCase(Locale.ROOT), TimeUnit.NANOSECONDS.toMillis(stream.ageNanos()),
                    stream.subscriber().dropped(), requestId);
        }
    }
}
