package io.ssehub.web;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.auth.Grant;
import io.ssehub.hub.Broker;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /publish} with {@code {"topic":"news","msg":"hello"}} (optionally {@code "event"} and
 * {@code "retry"}): answers {@code 200 {"delivered":N,"topic":"news","id":"..."}}. A JSON array of
 * such objects publishes them in order and answers an array; it is validated as a whole first, so
 * one bad item refuses the batch (the problem names its {@code index}) and nothing is published.
 *
 * <p>The body is JSON whatever its {@code Content-Type} says ({@code curl -d} sends
 * form-urlencoded), so nothing here or before it may call {@code getParameter()}. Errors: body over
 * the limit 413; not JSON, not an object or array, or a field of the wrong type 400; a missing or
 * empty {@code topic}/{@code msg}, a bad {@code event} or {@code retry}, an empty or oversized
 * batch 422; a topic outside the seed syntax 400.
 *
 * <p>When publishing needs a credential it is checked before the body is read (401), and every
 * topic of the message or batch against what it allows once the body is parsed (403); a batch
 * with one forbidden topic publishes nothing. A message that would add a topic to a hub already
 * holding its maximum gets 503.
 */
final class PublishHandler implements Handler {

    static final long MAX_RETRY_MILLIS = 86_400_000L;

    private final Broker broker;
    private final ObjectMapper json;
    private final Services.Limits limits;
    private final AccessGuard guard;
    private final TopicLimit topicLimit;

    PublishHandler(Services services) {
        this.broker = services.broker();
        this.json = services.json();
        this.limits = services.limits();
        this.guard = new AccessGuard(services.access());
        this.topicLimit = new TopicLimit(services.hub(), limits.maxTopics());
    }

    /** The publish answer; fields in the seed's order, then the id. */
    record Published(int delivered, String topic, String id) {
        static Published of(PublishResult result) {
            return new Published(result.delivered(), result.topic(), result.id());
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        Grant grant;
        try {
            grant = guard.publisher(request);
        } catch (ProblemException refused) {
            BodyReader.skip(request, response, limits.maxBodyBytes());
            throw refused;
        }
        JsonNode root = parse(BodyReader.read(request, limits.maxBodyBytes()));
        List<Message> messages = root.isArray() ? batch(root) : List.of(message(root));
        admit(grant, messages.stream().map(Message::topic).distinct().toList());
        List<Published> answers = new ArrayList<>(messages.size());
        for (PublishResult result : Brokers.await(broker.submit(messages), "publish")) {
            answers.add(Published.of(result));
        }
        JsonResponses.write(response, json, root.isArray() ? answers : answers.get(0));
    }

    private void admit(Grant grant, List<String> topics) {
        guard.checkPublish(grant, topics);
        topicLimit.check(topics);
    }

    private List<Message> batch(JsonNode array) {
        if (array.isEmpty() || array.size() > limits.maxBatch()) {
            throw ProblemException.unprocessable("bad-batch", "Bad batch",
                    "a batch carries 1 to " + limits.maxBatch() + " messages, this one " + array.size());
        }
        List<Message> messages = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                messages.add(message(array.get(i)));
            } catch (ProblemException problem) {
                throw problem.at("item " + i + ": ", "index", i);
            }
        }
        return messages;
    }

    private Message message(JsonNode node) {
        if (!node.isObject()) {
            throw badJson("a message must be a JSON object such as {\"topic\":\"news\",\"msg\":\"hello\"}");
        }
        String topic = requiredText(node, "topic");
        String msg = requiredText(node, "msg");
        TopicName.check(topic, limits.maxTopicLength());
        return new Message(topic, msg, eventType(node.get("event")), retry(node.get("retry")));
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw badJson("the body is empty; send a JSON object such as {\"topic\":\"news\",\"msg\":\"hello\"}");
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !(root.isObject() || root.isArray())) {
                throw badJson("the body must be a JSON object such as {\"topic\":\"news\",\"msg\":\"hello\"}, or an array of them");
            }
            return root;
        } catch (JacksonException e) {
            throw badJson("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw badJson("the body could not be read as JSON");
        }
    }

    private static String requiredText(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw ProblemException.unprocessable("missing-field", "Missing field", "\"" + field + "\" is required");
        }
        if (!value.isTextual()) {
            throw badJson("\"" + field + "\" must be a string");
        }
        if (value.textValue().isEmpty()) {
            throw ProblemException.unprocessable("missing-field", "Missing field", "\"" + field + "\" must not be empty");
        }
        return value.textValue();
    }

    /** 1 to 64 characters, no line break or other control character, not one of ours. */
    private static String eventType(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw badJson("\"event\" must be a string");
        }
        String type = value.textValue();
        if (type.isEmpty() || type.length() > EventFields.MAX_TYPE_LENGTH) {
            throw badEvent("\"event\" must be 1 to " + EventFields.MAX_TYPE_LENGTH + " characters");
        }
        if (EventFields.hasControl(type)) {
            throw badEvent("\"event\" must not contain line breaks or control characters");
        }
        if (EventFields.RESERVED_TYPES.contains(type)) {
            throw badEvent("\"event\" may not be \"" + type + "\": the hub sends that type itself");
        }
        return type;
    }

    private static Long retry(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw badJson("\"retry\" must be a whole number of milliseconds");
        }
        if (!value.canConvertToLong() || value.longValue() < 0 || value.longValue() > MAX_RETRY_MILLIS) {
            throw ProblemException.unprocessable("invalid-retry", "Invalid retry",
                    "\"retry\" must be 0 to " + MAX_RETRY_MILLIS + " milliseconds");
        }
        return value.longValue();
    }

    private static ProblemException badEvent(String detail) {
        return ProblemException.unprocessable("invalid-event", "Invalid event type", detail);
    }

    private static ProblemException badJson(String detail) {
        return ProblemException.badRequest("invalid-json", "Invalid JSON", detail);
    }
}
