package io.ssehub.sse;

import io.ssehub.hub.Message;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SseEncoderTest {

    private final SseEncoder encoder = new SseEncoder();

    /** The frame minus its id line, which every frame starts with. */
    private String encode(String data) {
        String frame = new String(encoder.encode(new Message("t", data), "e-1"), StandardCharsets.UTF_8);
        assertEquals("id: e-1\n", frame.substring(0, 8));
        return frame.substring(8);
    }

    /** A publisher-chosen id named in a drop report stays a JSON string: it cannot add a field or end the frame. */
    @Test
    void aDropReportNamesItsRunInJsonThatAnIdCannotBreakOutOf() {
        assertEquals("event: reset\ndata: {\"dropped\":3,\"firstLost\":\"a\\\",\\\"x\\\":\\\"1\",\"lastLost\":\"e-9\"}\n\n",
                new String(SseEncoder.dropped(3, "a\",\"x\":\"1", "e-9"), StandardCharsets.UTF_8));
    }

    @Test
    void plainMessageIsOneDataLine() {
        assertEquals("data: hello\n\n", encode("hello"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "LF     | a\\nb     | data: a\\ndata: b\\n\\n",
            "CR     | a\\rb     | data: a\\ndata: b\\n\\n",
            "CRLF   | a\\r\\nb   | data: a\\ndata: b\\n\\n",
            "LFCR   | a\\n\\rb   | data: a\\ndata: \\ndata: b\\n\\n",
            "CRCR   | a\\r\\rb   | data: a\\ndata: \\ndata: b\\n\\n",
            "lead   | \\na      | data: \\ndata: a\\n\\n",
            "trail  | a\\n      | data: a\\ndata: \\n\\n",
            "only   | \\r\\n     | data: \\ndata: \\n\\n"})
    void everyLineBreakFormEndsADataLine(String name, String escapedIn, String escapedOut) {
        assertEquals(unescape(escapedOut), encode(unescape(escapedIn)));
    }

    @Test
    void newlineInMessageCannotForgeAnEventAnIdOrARetry() {
        String attack = "x\n\nevent: evil\nid: 99\nretry: 1\n\ndata: forged";
        List<SseParser.Event> events = new SseParser().feed(encode(attack));
        assertEquals(List.of(new SseParser.Event("", "message", attack, null)), events);
        events = new SseParser().feed(new String(encoder.encodeWithTopic(new Message("t", attack), "e-1"), StandardCharsets.UTF_8));
        assertEquals(1, events.size());
        assertEquals("e-1", events.get(0).id());
    }

    @Test
    void emptyMessageIsOneEmptyDataLine() {
        assertEquals("data: \n\n", encode(""));
    }

    @Test
    void leadingSpaceAndColonsSurvive() {
        assertEquals(List.of(new SseParser.Event("", "message", " :a: b", null)), new SseParser().feed(encode(" :a: b")));
    }

    @Test
    void textIsUtf8() {
        assertArrayEquals("id: e-1\ndata: é東\uD83D\uDE80\n\n".getBytes(StandardCharsets.UTF_8),
                encoder.encode(new Message("t", "é東\uD83D\uDE80"), "e-1"));
    }

    @Test
    void readyFrameCarriesThePositionTheStreamStartsAfter() {
        assertEquals("id: mi3k2x1a-41\nevent: ready\ndata: subscribed to \"news\"\n\n",
                new String(SseEncoder.ready("\"news\"", "mi3k2x1a-41"), StandardCharsets.UTF_8));
    }

    @Test
    void aPositionFrameSetsTheIdAndDispatchesNothing() {
        assertEquals("id: mi3k2x1a-41\n\n", new String(SseEncoder.position("mi3k2x1a-41"), StandardCharsets.UTF_8));
    }

    @Test
    void commentIsAColonLine() {
        assertEquals(":\n\n", new String(SseEncoder.comment(), StandardCharsets.US_ASCII));
    }

    /** Property: an independent parser decodes every encoded message back, line breaks normalised to LF. */
    @Test
    void anyMessageDecodesBackToItself() {
        Random random = new Random(20261125);
        char[] alphabet = {'a', 'Z', '0', ' ', ':', '\n', '\r', '\t', 'é', '東', '\u2028', '\u0085', '\0', '\uFEFF'};
        SseParser parser = new SseParser();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                text.append(random.nextInt(10) == 0 ? "\uD83D\uDE80" : String.valueOf(alphabet[random.nextInt(alphabet.length)]));
            }
            String message = text.toString();
            byte[] bytes = encoder.encode(new Message("t", message), "e-" + i);
            // Feed in two arbitrary pieces: the parser must not care where reads split the stream.
            int cut = random.nextInt(bytes.length + 1);
            List<SseParser.Event> first = parser.feed(bytes, 0, cut);
            List<SseParser.Event> second = parser.feed(bytes, cut, bytes.length - cut);
            List<SseParser.Event> events = first.isEmpty() ? second : first;
            assertEquals(1, first.size() + second.size(), () -> "one event for " + escape(message));
            String expected = message.replace("\r\n", "\n").replace('\r', '\n');
            assertEquals(expected, events.get(0).data(), () -> "round trip of " + escape(message));
            assertEquals("message", events.get(0).type());
            assertEquals("e-" + i, events.get(0).id());
        }
    }

    @Test
    void typeAndRetryAreFieldsOfTheirOwn() {
        assertEquals("id: e-7\nevent: price\nretry: 2500\ndata: 12\n\n",
                new String(encoder.encode(new Message("t", "12", "price", 2500L), "e-7"), StandardCharsets.UTF_8));
    }

    @Test
    void taggedFramesCarryAJsonEnvelopeOnOneLine() throws Exception {
        String text = "a\r\nb \"q\" \\ \u0001 \u2028 é";
        String frame = new String(encoder.encodeWithTopic(new Message("news", text), "e-9"), StandardCharsets.UTF_8);
        assertEquals(3, frame.split("\n", -1).length - 1, frame); // id line, one data line, blank line
        List<SseParser.Event> events = new SseParser().feed(frame);
        com.fasterxml.jackson.databind.JsonNode envelope = new com.fasterxml.jackson.databind.ObjectMapper().readTree(events.get(0).data());
        assertEquals("news", envelope.get("topic").asText());
        assertEquals(text, envelope.get("data").asText());
    }

    @Test
    void namedEventsMayCarryAnId() {
        assertEquals("id: e-3\nevent: reset\ndata: {}\n\n", new String(SseEncoder.named("reset", "e-3", "{}"), StandardCharsets.UTF_8));
    }

    private static String unescape(String s) {
        return s.strip().replace("\\n", "\n").replace("\\r", "\r");
    }

    private static String escape(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r");
    }
}
