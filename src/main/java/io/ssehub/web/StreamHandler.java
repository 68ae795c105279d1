package io.ssehub.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssehub.auth.Grant;
import io.ssehub.hub.Frame;
import io.ssehub.hub.Hub;
import io.ssehub.hub.StartPosition;
import io.ssehub.hub.Subscription;
import io.ssehub.sse.CloseReason;
import io.ssehub.sse.SseEncoder;
import io.ssehub.sse.SseStream;
import io.ssehub.sse.StreamRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Opens an event stream: {@code GET /events/{topic}} for one topic, or
 * {@code GET /events?topic=a&topic=b} for several (each event's data is then a JSON envelope
 * naming its topic). The first frame is
 * <pre>event: ready\ndata: subscribed to "{topic}"\n\n</pre>
 * then, when resuming, an optional {@code event: reset} and the replayed events, then live events.
 *
 * <p>The resume point is the {@code Last-Event-ID} header, else the {@code lastEventId} query
 * parameter (a browser cannot set headers on its first request, and on reconnect its header holds
 * the newer id), else none (live only). {@code earliest} replays all retained history.
 *
 * <p>Every check happens before the response is touched, so bad input gets a problem and no
 * stream is opened: the topics (400), the credential when a topic is not public (401, 403), the
 * distinct-topic limit (503), and the open-stream limits per node (503) and per client address
 * (429), which are counted before the request goes async. A stream admitted by a token is closed
 * when the token expires; its client reconnects with a fresh one and resumes by id. The async timeout is switched off (Tomcat's default of 30 s would end every
 * stream); keep-alive comments keep proxies open instead.
 */
final class StreamHandler implements Handler {

    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);
    static final int MAX_LAST_EVENT_ID = 128;
    static final int RETRY_AFTER_SECONDS = 5;

    private final Hub hub;
    private final StreamRegistry streams;
    private final Executor writers;
    private final Services.Limits limits;
    private final ObjectMapper json;
    private final AccessGuard guard;
    private final TopicLimit topicLimit;

    StreamHandler(Services services) {
        this.guard = new AccessGuard(services.access());
        this.topicLimit = new TopicLimit(services.hub(), services.limits().maxTopics());
        this.json = services.json();
        this.hub = services.hub();
        this.streams = services.streams();
        this.writers = services.writers();
        this.limits = services.limits();
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        boolean tagged = !params.containsKey("topic");
        List<String> topics = tagged ? queryTopics(request) : List.of(TopicName.check(params.get("topic"), limits.maxTopicLength()));
        StartPosition from = startPosition(request);
        Grant grant = guard.subscriber(request, topics);
        topicLimit.check(topics);
        String client = request.getRemoteAddr();
        admit(client);

        SseStream stream;
        try {
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            stream = new SseStream(async, response.getOutputStream(), writers, topics, tagged,
                    limits.queueCapacity(), limits.overflow(), (s, reason) -> closed(s, reason, client));
        } catch (IOException | RuntimeException e) {
            streams.release(client);
            throw e;
        }
        if (grant.expires() != null) {
            long left = Duration.between(Instant.now(), grant.expires()).toNanos();
            stream.closeAt(System.nanoTime() + Math.max(0, left));
        }
        if (!streams.add(stream)) {
            stream.close(CloseReason.SHUTDOWN);
            return;
        }
        Subscription subscription = hub.subscribe(stream.subscriber(), from);

        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        response.setHeader("Last-Event-ID", subscription.startsAfter());
        log.debug("stream opened on {} after {}", topics, subscription.startsAfter());
        stream.start(preamble(topics, tagged, subscription));
    }

    private void admit(String client) {
        switch (streams.admit(client)) {
            case ADMITTED -> {
            }
            case NODE_FULL -> throw ProblemException.overloaded("too-many-streams",
                    "this node has reached its limit of open streams", RETRY_AFTER_SECONDS);
            case CLIENT_FULL -> throw ProblemException.tooManyRequests("too-many-streams",
                    "this client has reached its limit of open streams", RETRY_AFTER_SECONDS);
            case SHUT_DOWN -> throw ProblemException.unavailable("the hub is shutting down", 1);
        }
    }

    private List<String> queryTopics(HttpServletRequest request) {
        String[] values = request.getParameterValues("topic");
        if (values == null || values.length == 0) {
            throw ProblemException.badRequest("invalid-topic", "Invalid topic",
                    "name at least one topic: /events/{topic} or /events?topic=a&topic=b");
        }
        Set<String> topics = new LinkedHashSet<>();
        for (String value : values) {
            topics.add(TopicName.check(value, limits.maxTopicLength()));
            if (topics.size() > limits.maxTopicsPerStream()) {
                throw ProblemException.badRequest("too-many-topics", "Too many topics",
                        "a stream may name at most " + limits.maxTopicsPerStream() + " topics");
            }
        }
        return List.copyOf(topics);
    }

    private static StartPosition startPosition(HttpServletRequest request) {
        String id = request.getHeader("Last-Event-ID");
        if (id == null || id.isEmpty()) {
            id = request.getParameter("lastEventId");
        }
        if (id == null || id.isEmpty()) {
            return StartPosition.LIVE;
        }
        if (id.length() > MAX_LAST_EVENT_ID) {
            throw ProblemException.badRequest("invalid-last-event-id", "Invalid Last-Event-ID",
                    "a Last-Event-ID is at most " + MAX_LAST_EVENT_ID + " characters");
        }
        return id.equals("earliest") ? StartPosition.EARLIEST : StartPosition.after(id);
    }

    private List<byte[]> preamble(List<String> topics, boolean tagged, Subscription subscription) {
        List<byte[]> frames = new ArrayList<>(subscription.replay().size() + 2);
        frames.add(SseEncoder.ready(topics.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "))));
        Subscription.Reset reset = subscription.reset();
        if (reset != null) {
            frames.add(SseEncoder.named("reset", subscription.startsAfter(), resetData(reset)));
        }
        for (Frame frame : subscription.replay()) {
            frames.add(frame.bytes(tagged));
        }
        return frames;
    }

    /** {@code {"lastEventId":"<as requested>","oldestAvailable":"<id>"|null}} */
    private String resetData(Subscription.Reset reset) {
        ObjectNode data = json.createObjectNode().put("lastEventId", reset.requested());
        data.put("oldestAvailable", reset.oldestAvailable());
        return data.toString();
    }

    private void closed(SseStream stream, CloseReason reason, String client) {
        hub.unsubscribe(stream.subscriber());
        streams.remove(stream);
        streams.release(client);
        log.debug("stream closed on {}: {} after {} ms, {} dropped", stream.subscriber().topics(), reason,
                TimeUnit.NANOSECONDS.toMillis(stream.ageNanos()), stream.subscriber().dropped());
    }
}
