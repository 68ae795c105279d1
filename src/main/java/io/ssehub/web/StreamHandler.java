package io.ssehub.web;

import io.ssehub.hub.Subscriber;
import io.ssehub.sse.SseEncoder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Opens an event stream: {@code GET /events/{topic}} for one topic, or
 * {@code GET /events?topic=a&topic=b} for several (each event's data is then a JSON envelope
 * naming its topic). The first frame is
 * <pre>event: ready\ndata: subscribed to "{topic}"\n\n</pre>
 * then, when resuming ({@code Last-Event-ID} header or {@code ?lastEventId=}), an optional
 * {@code event: reset} and the replayed events, then live events.
 *
 * <p>Every check happens before the response is touched, so bad input gets a problem and no
 * stream is opened.
 */
final class StreamHandler implements Handler {

    private final StreamOpener opener;
    private final Services.Limits limits;

    StreamHandler(Services services) {
        this.opener = new StreamOpener(services);
        this.limits = services.limits();
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        boolean tagged = !params.containsKey("topic");
        List<String> topics = tagged ? queryTopics(request) : List.of(TopicName.check(params.get("topic"), limits.maxTopicLength()));
        byte[] ready = SseEncoder.ready(topics.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", ")));
        opener.open(request, response, new StreamOpener.Request(
                sink -> new Subscriber(topics, tagged, limits.queueCapacity(), limits.overflow(), sink),
                StreamOpener.startPosition(request, "lastEventId"), ready, tagged, 0, null));
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
}
