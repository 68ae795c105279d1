package io.ssehub.web;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /publish} with {@code {"topic":"news","msg":"hello"}}: answers
 * {@code 200 {"delivered":N,"topic":"news"}}.
 *
 * <p>The body is JSON whatever its {@code Content-Type} says ({@code curl -d} sends
 * form-urlencoded), so nothing here or before it may call {@code getParameter()}. Errors: body over
 * the limit 413; not JSON, not an object, or a field of the wrong type 400; {@code topic} or
 * {@code msg} missing or empty 422; a topic outside the seed syntax 400.
 */
final class PublishHandler implements Handler {

    private final Hub hub;
    private final ObjectMapper json;
    private final Services.Limits limits;

    PublishHandler(Services services) {
        this.hub = services.hub();
        this.json = services.json();
        this.limits = services.limits();
    }

    /** The publish answer; fields in the seed's order. */
    record Published(int delivered, String topic) {
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        byte[] body = BodyReader.read(request, limits.maxBodyBytes());
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw badJson("the body must be a JSON object such as {\"topic\":\"news\",\"msg\":\"hello\"}");
        }
        String topic = requiredText(root, "topic");
        String msg = requiredText(root, "msg");
        TopicName.check(topic, limits.maxTopicLength());

        PublishResult result = hub.publish(new Message(topic, msg));

        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] answer = json.writeValueAsBytes(new Published(result.delivered(), result.topic()));
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw badJson("the body is empty; send a JSON object such as {\"topic\":\"news\",\"msg\":\"hello\"}");
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw badJson("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw badJson("the body could not be read as JSON");
        }
    }

    private static String requiredText(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw ProblemException.unprocessable("missing-field", "Missing field",
                    "\"" + field + "\" is required");
        }
        if (!value.isTextual()) {
            throw badJson("\"" + field + "\" must be a string");
        }
        if (value.textValue().isEmpty()) {
            throw ProblemException.unprocessable("missing-field", "Missing field",
                    "\"" + field + "\" must not be empty");
        }
        return value.textValue();
    }

    private static ProblemException badJson(String detail) {
        return ProblemException.badRequest("invalid-json", "Invalid JSON", detail);
    }
}
