package io.ssehub.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.app.AppLifecycle;
import io.ssehub.hub.Message;
import io.ssehub.http.ProblemException;
import io.ssehub.hub.PublishResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The factory configured as the application configures it (duplicate keys refused). */
    private final PublishBody body = new PublishBody(
            AppLifecycle.jsonMapper().getFactory(), 200, 3);

    private PublishBody.Parsed parse(String text) {
        return body.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneMessageWithEveryField() {
        PublishBody.Parsed parsed = parse(
                "{\"x\":{\"nested\":[1,{\"a\":2}]},\"topic\":\"news\",\"msg\":\"h\\u00e9\\nllo\",\"event\":\"update\",\"retry\":2500}");
        assertFalse(parsed.batch());
        Message m = parsed.messages().get(0);
        assertEquals("news", m.topic());
        assertEquals("h\u00e9\nllo", m.data());
        assertEquals("update", m.type());
        assertEquals(2500L, m.retry());
    }

    @Test
    void nullOptionalFieldsAreAbsent() {
        Message m = parse("{\"topic\":\"t\",\"msg\":\"m\",\"event\":null,\"retry\":null}").messages().get(0);
        assertNull(m.type());
        assertNull(m.retry());
    }

    @Test
    void aBatchKeepsItsOrder() {
        PublishBody.Parsed parsed = parse("[{\"topic\":\"a\",\"msg\":\"1\"},{\"topic\":\"b\",\"msg\":\"2\"}]");
        assertTrue(parsed.batch());
        assertEquals(List.of("a", "b"), parsed.messages().stream().map(Message::topic).toList());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("", 400, "invalid-json", null),
                Arguments.of("   ", 400, "invalid-json", null),
                Arguments.of("hello", 400, "invalid-json", null),
                Arguments.of("\"topic\"", 400, "invalid-json", null),
                Arguments.of("null", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\"} x", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\"} {}", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"topic\":\"u\",\"msg\":\"m\"}", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"x\":{\"a\":1,\"a\":2}}", 400, "invalid-json", null),
                Arguments.of("{\"topic\":5,\"msg\":\"m\"}", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":{}}", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":[\"a\"]}", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":true}", 400, "invalid-json", null),
                Arguments.of("{\"msg\":\"m\"}", 422, "missing-field", null),
                Arguments.of("{\"topic\":\"t\"}", 422, "missing-field", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":null}", 422, "missing-field", null),
                Arguments.of("{\"topic\":\"\",\"msg\":\"m\"}", 422, "missing-field", null),
                Arguments.of("{\"topic\":5}", 400, "invalid-json", null), // topic's type is judged before msg is missed
                Arguments.of("{\"topic\":\"a b\",\"msg\":\"m\"}", 400, "invalid-topic", null),
                Arguments.of("{\"topic\":\"a b\"}", 422, "missing-field", null), // fields before syntax
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"event\":5}", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"\"}", 422, "invalid-event", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"a\\nb\"}", 422, "invalid-event", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"ready\"}", 422, "invalid-event", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"" + "e".repeat(65) + "\"}", 422, "invalid-event", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"retry\":1.5}", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"retry\":\"5\"}", 400, "invalid-json", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"retry\":-1}", 422, "invalid-retry", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"retry\":86400001}", 422, "invalid-retry", null),
                Arguments.of("{\"topic\":\"t\",\"msg\":\"m\",\"retry\":123456789012345678901234567890}", 422, "invalid-retry", null),
                Arguments.of("[]", 422, "bad-batch", null),
                Arguments.of("[1,2,3,4]", 422, "bad-batch", null), // size before items
                Arguments.of("[1,2,3,4,", 400, "invalid-json", null), // JSON before size
                Arguments.of("[{\"topic\":\"t\",\"msg\":\"m\"},1]", 400, "invalid-json", 1),
                Arguments.of("[{\"topic\":\"t\",\"msg\":\"m\"},{\"topic\":\"t\"}]", 422, "missing-field", 1),
                Arguments.of("[{\"topic\":\"t\",\"msg\":\"m\"},{\"topic\":\"t\",\"msg\":\"m\"}] x", 400, "invalid-json", null));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("refused")
    void refusedWithItsProblem(String text, int status, String type, Integer index) throws Exception {
        ProblemException problem = assertThrows(ProblemException.class, () -> parse(text));
        assertEquals(status, problem.status());
        assertTrue(problem.type().endsWith(type), problem.type());
        assertEquals(index, problem.extensions().get("index"));
    }

    @Test
    void theAnswerIsTheSeedsShapeAndEscapesTheTopic() throws Exception {
        JsonNode one = JSON.readTree(body.answer(List.of(new PublishResult("a\"b", 3, "x-1")), false));
        assertEquals("{\"delivered\":3,\"topic\":\"a\\\"b\",\"id\":\"x-1\"}", one.toString());
        JsonNode many = JSON.readTree(body.answer(
                List.of(new PublishResult("a", 0, "x-1"), new PublishResult("b", 1, "x-2")), true));
        assertEquals(2, many.size());
        assertEquals("x-2", many.get(1).get("id").asText());
    }

    @Test
    void theAnswerHasTheBytesJacksonWouldWriteWhateverTheStrings() throws Exception {
        PublishResult plain = new PublishResult("news.eu:~_@-", 7, "a1b2c3-42");
        PublishResult escaped = new PublishResult("a\"b\\c\n\u0001\u007f", 0, "</script>");
        PublishResult unicode = new PublishResult("caf\u00e9 \u2028 \ud83d\ude00", Integer.MAX_VALUE, "x");
        for (List<PublishResult> results : List.of(List.of(plain), List.of(escaped), List.of(unicode),
                List.of(plain, new PublishResult("t", 0, "x-2")), List.of(plain, escaped, unicode))) {
            List<Map<String, Object>> shapes = results.stream().map(PublishBodyTest::shape).toList();
            assertEquals(new String(JSON.writeValueAsBytes(shapes), StandardCharsets.UTF_8),
                    new String(body.answer(results, true), StandardCharsets.UTF_8));
            assertEquals(new String(JSON.writeValueAsBytes(shapes.get(0)), StandardCharsets.UTF_8),
                    new String(body.answer(results.subList(0, 1), false), StandardCharsets.UTF_8));
        }
    }

    private static Map<String, Object> shape(PublishResult result) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("delivered", result.delivered());
        shape.put("topic", result.topic());
        shape.put("id", result.id());
        return shape;
    }
}
