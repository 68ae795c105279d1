package io.ssehub.web;

import io.ssehub.http.ProblemException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.ssehub.hub.InvalidMessageException;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;
import io.ssehub.hub.PublishRules;

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
 * {@code event}, {@code retry}. A problem in a batch item names its {@code index}. What a topic,
 * event type, delay and batch may be is {@link PublishRules}' (shared with the Java API); this
 * class adds what JSON can get wrong.
 */
final class PublishBody {

    private static final String EXAMPLE = "{\"topic\":\"news\",\"msg\":\"hello\"}";

    /** The parsed body: its messages in order, and whether it was a batch (an array). */
    record Parsed(List<Message> messages, boolean batch) {
    }

    private final JsonFactory factory;
    private final PublishRules rules;

    PublishBody(JsonFactory factory, int maxTopicLength, int maxBatch) {
        this.factory = factory;
        this.rules = new PublishRules(maxTopicLength, maxBatch);
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
                    if (count < rules.maxBatch()) {
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
        if (batch) {
            try {
                rules.batchSize(count);
            } catch (InvalidMessageException e) {
                throw RuleProblems.of(e);
            }
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
        try {
            String topic = requiredText(fields.topic, "topic");
            String msg = requiredText(fields.msg, "msg");
            rules.topic(topic);
            String type = PublishRules.eventType(text(fields.event, "event"));
            return new Message(topic, msg, type, PublishRules.retry(retry(fields.retry)));
        } catch (InvalidMessageException e) {
            throw RuleProblems.of(e);
        }
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

    /** A string field that must be present: its JSON type is judged here, presence and emptiness by the rules. */
    private static String requiredText(Value value, String field) {
        if (value instanceof Absent) {
            return PublishRules.required(null, field);
        }
        if (!(value instanceof Text text)) {
            throw badJson("\"" + field + "\" must be a string");
        }
        return PublishRules.required(text.text(), field);
    }

    /** An optional string field, {@code null} if absent. */
    private static String text(Value value, String field) {
        if (value instanceof Absent) {
            return null;
        }
        if (!(value instanceof Text text)) {
            throw badJson("\"" + field + "\" must be a string");
        }
        return text.text();
    }

    /** {@code retry} as a whole number, {@code null} if absent; one beyond a long is out of range all the same. */
    private static Long retry(Value value) {
        if (value instanceof Absent) {
            return null;
        }
        if (!(value instanceof Whole whole)) {
            throw badJson("\"retry\" must be a whole number of milliseconds");
        }
        return whole.fitsLong() ? whole.value() : Long.MAX_VALUE;
    }

    private static ProblemException badJson(String detail) {
        return ProblemException.badRequest("invalid-json", "Invalid JSON", detail);
    }
}
