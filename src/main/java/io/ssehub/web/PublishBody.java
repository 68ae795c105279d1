package io.ssehub.web;

import io.ssehub.http.EventFields;
import io.ssehub.http.ProblemException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of {@code POST /publish}, read and written with Jackson's streaming parser and
 * generator: one pass over the body into {@link Message}s, no intermediate tree, and an answer
 * written field by field. Publishing is the hot request path, and a tree plus data binding cost
 * more than the rest of the handler together.
 *
 * <p>The rules (all failures are {@link ProblemException}s and nothing is published):
 * <ul>
 *   <li>400: an empty body, invalid JSON (including a duplicate key or anything after the value),
 *       a root that is neither an object nor an array, an array item that is not an object, a
 *       field of the wrong JSON type, a topic outside the seed syntax;</li>
 *   <li>422: an empty or oversized batch, a missing, {@code null} or empty {@code topic} or
 *       {@code msg}, a bad {@code event} type or {@code retry}.</li>
 * </ul>
 * The whole body is checked to be JSON before any field is judged, the batch size before its
 * items, and the fields of a message in the order {@code topic}, {@code msg}, topic syntax,
 * {@code event}, {@code retry}. A problem in a batch item names its {@code index}.
 */
final class PublishBody {

    static final long MAX_RETRY_MILLIS = 86_400_000L;
    private static final String EXAMPLE = "{\"topic\":\"news\",\"msg\":\"hello\"}";

    /** The parsed body: its messages in order, and whether it was a batch (an array). */
    record Parsed(List<Message> messages, boolean batch) {
    }

    private final JsonFactory factory;
    private final int maxTopicLength;
    private final int maxBatch;

    PublishBody(JsonFactory factory, int maxTopicLength, int maxBatch) {
        this.factory = factory;
        this.maxTopicLength = maxTopicLength;
        this.maxBatch = maxBatch;
    }

    /** @throws ProblemException 400 or 422 as the class describes */
    Parsed parse(byte[] body) {
        if (body.length == 0) {
            throw badJson("the body is empty; send a JSON object such as " + EXAMPLE);
        }
        List<Fields> items = new ArrayList<>();
        boolean batch;
        int count = 0;
        try (JsonParser parser = factory.createParser(body)) {
            JsonToken root = parser.nextToken();
            if (root == JsonToken.START_OBJECT) {
                batch = false;
                items.add(Fields.read(parser));
                count = 1;
            } else if (root == JsonToken.START_ARRAY) {
                batch = true;
                JsonToken token;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (count < maxBatch) {
                        items.add(token == JsonToken.START_OBJECT ? Fields.read(parser) : Fields.notAnObject(parser));
                    } else {
                        parser.skipChildren(); // still tokenised, so invalid JSON is found
                    }
                    count++;
                }
            } else {
                throw badJson("the body must be a JSON object such as " + EXAMPLE + ", or an array of them");
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw badJson("the body is not valid JSON: unexpected " + trailing.asString() + " after the value");
            }
        } catch (JacksonException e) {
            throw badJson("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw badJson("the body could not be read as JSON");
        }
        if (batch && (count == 0 || count > maxBatch)) {
            throw ProblemException.unprocessable("bad-batch", "Bad batch",
                    "a batch carries 1 to " + maxBatch + " messages, this one " + count);
        }
        List<Message> messages = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                messages.add(message(items.get(i)));
            } catch (ProblemException problem) {
                throw batch ? problem.at("item " + i + ": ", "index", i) : problem;
            }
        }
        return new Parsed(messages, batch);
    }

    /** The answer: {@code {"delivered":N,"topic":"...","id":"..."}}, or an array of them for a batch. */
    byte[] answer(List<PublishResult> results, boolean batch) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(64 * results.size() + 16)) {
            try (JsonGenerator out = factory.createGenerator(bytes)) {
                if (batch) {
                    out.writeStartArray();
                }
                for (PublishResult result : results) {
                    out.writeStartObject();
                    out.writeNumberField("delivered", result.delivered());
                    out.writeStringField("topic", result.topic());
                    out.writeStringField("id", result.id());
                    out.writeEndObject();
                }
                if (batch) {
                    out.writeEndArray();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    private Message message(Fields fields) {
        if (fields.notAnObject) {
            throw badJson("a message must be a JSON object such as " + EXAMPLE);
        }
        String topic = requiredText(fields.topic, "topic");
        String msg = requiredText(fields.msg, "msg");
        TopicName.check(topic, maxTopicLength);
        return new Message(topic, msg, eventType(fields.event), retry(fields.retry));
    }

    /** A field's value as read: absent or JSON null, a string, a whole number, or of another type. */
    private sealed interface Value {
        Value ABSENT = new Absent();
        Value OTHER = new Other();
    }

    private record Absent() implements Value {
    }

    private record Other() implements Value {
    }

    private record Text(String text) implements Value {
    }

    /** A whole number; {@code fitsLong} is false for one beyond the range of a long. */
    private record Whole(long value, boolean fitsLong) implements Value {
    }

    /** The four known fields of one message object; others are skipped. */
    private static final class Fields {
        Value topic = Value.ABSENT;
        Value msg = Value.ABSENT;
        Value event = Value.ABSENT;
        Value retry = Value.ABSENT;
        boolean notAnObject;

        /** Reads an object whose START_OBJECT was just read, up to and including its END_OBJECT. */
        static Fields read(JsonParser parser) throws IOException {
            Fields fields = new Fields();
            String name;
            while ((name = parser.nextFieldName()) != null) {
                Value value = value(parser, parser.nextToken());
                switch (name) {
                    case "topic" -> fields.topic = value;
                    case "msg" -> fields.msg = value;
                    case "event" -> fields.event = value;
                    case "retry" -> fields.retry = value;
                    default -> {
                        // not ours: ignored, like any unknown field
                    }
                }
            }
            return fields;
        }

        static Fields notAnObject(JsonParser parser) throws IOException {
            parser.skipChildren();
            Fields fields = new Fields();
            fields.notAnObject = true;
            return fields;
        }

        private static Value value(JsonParser parser, JsonToken token) throws IOException {
            switch (token) {
                case VALUE_NULL:
                    return Value.ABSENT;
                case VALUE_STRING:
                    return new Text(parser.getText());
                case VALUE_NUMBER_INT:
                    boolean fits = parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                    return new Whole(fits ? parser.getLongValue() : 0, fits);
                default:
                    parser.skipChildren();
                    return Value.OTHER;
            }
        }
    }

    private static String requiredText(Value value, String field) {
        if (value instanceof Absent) {
            throw ProblemException.unprocessable("missing-field", "Missing field", "\"" + field + "\" is required");
        }
        if (!(value instanceof Text text)) {
            throw badJson("\"" + field + "\" must be a string");
        }
        if (text.text().isEmpty()) {
            throw ProblemException.unprocessable("missing-field", "Missing field", "\"" + field + "\" must not be empty");
        }
        return text.text();
    }

    /** 1 to 64 characters, no line break or other control character, not one of ours. */
    private static String eventType(Value value) {
        if (value instanceof Absent) {
            return null;
        }
        if (!(value instanceof Text text)) {
            throw badJson("\"event\" must be a string");
        }
        String type = text.text();
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

    private static Long retry(Value value) {
        if (value instanceof Absent) {
            return null;
        }
        if (!(value instanceof Whole whole)) {
            throw badJson("\"retry\" must be a whole number of milliseconds");
        }
        if (!whole.fitsLong() || whole.value() < 0 || whole.value() > MAX_RETRY_MILLIS) {
            throw ProblemException.unprocessable("invalid-retry", "Invalid retry",
                    "\"retry\" must be 0 to " + MAX_RETRY_MILLIS + " milliseconds");
        }
        return whole.value();
    }

    private static ProblemException badEvent(String detail) {
        return ProblemException.unprocessable("invalid-event", "Invalid event type", detail);
    }

    private static ProblemException badJson(String detail) {
        return ProblemException.badRequest("invalid-json", "Invalid JSON", detail);
    }
}
