package io.ssehub.bench.sse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The WHATWG event-stream interpretation rules, fed whole and byte by byte. */
class SseParserTest {

    private record Event(String type, String data, String id) {
    }

    private static final class Recorder implements SseListener {
        final List<Event> events = new ArrayList<>();
        int comments;

        @Override
        public void onEvent(String type, byte[] data, int dataLength, String lastEventId) {
            events.add(new Event(type, new String(data, 0, dataLength, StandardCharsets.UTF_8), lastEventId));
        }

        @Override
        public void onComment() {
            comments++;
        }
    }

    /** Parses the input whole and byte by byte and checks both give the same events. */
    private static Recorder parse(String input) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        Recorder whole = new Recorder();
        new SseParser(whole).feed(bytes, 0, bytes.length);
        Recorder split = new Recorder();
        SseParser parser = new SseParser(split);
        for (int i = 0; i < bytes.length; i++) {
            parser.feed(bytes, i, 1);
        }
        assertEquals(whole.events, split.events, "byte-by-byte feeding changes nothing");
        assertEquals(whole.comments, split.comments);
        return whole;
    }

    @Test
    void aReconnectedStreamKeepsTheLastEventIdUntilItSetsAnother() {
        Recorder r = new Recorder();
        SseParser parser = new SseParser(r, "41");
        byte[] bytes = "event: ready\ndata: x\n\nid: 42\ndata: y\n\n".getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
        assertEquals(List.of(new Event("ready", "x", "41"), new Event("message", "y", "42")), r.events);
        assertEquals("42", parser.lastEventId());
    }

    @Test
    void dispatchesOnBlankLineWithDefaultType() {
        assertEquals(List.of(new Event("message", "hello", "")), parse("data: hello\n\n").events);
    }

    @Test
    void joinsDataLinesWithLineFeed() {
        assertEquals("YHOO\n+2\n\n10", parse("data: YHOO\ndata: +2\ndata\ndata: 10\n\n").events.get(0).data());
    }

    @Test
    void acceptsLfCrLfAndCrLineEndings() {
        List<Event> expected = List.of(new Event("message", "a", ""), new Event("message", "b", ""),
                new Event("message", "c", ""));
        assertEquals(expected, parse("data: a\n\ndata: b\r\n\r\ndata: c\r\r").events);
    }

    @Test
    void removesOnlyOneLeadingSpaceAndAllowsNoSpace() {
        List<Event> events = parse("data:test\n\ndata:  test\n\n").events;
        assertEquals("test", events.get(0).data());
        assertEquals(" test", events.get(1).data());
    }

    @Test
    void commentsAreNotEvents() {
        Recorder r = parse(":\n\n: keep-alive\n\ndata: x\n\n");
        assertEquals(2, r.comments);
        assertEquals(1, r.events.size());
    }

    @Test
    void eventTypeAppliesToOneEventOnly() {
        List<Event> events = parse("event: ready\ndata: subscribed to \"t\"\n\ndata: m\n\n").events;
        assertEquals(new Event("ready", "subscribed to \"t\"", ""), events.get(0));
        assertEquals("message", events.get(1).type());
    }

    @Test
    void emptyDataDispatchesNothingAndResetsType() {
        List<Event> events = parse("event: x\n\ndata\n\n").events;
        assertEquals(List.of(new Event("message", "", "")), events);
    }

    @Test
    void idPersistsAcrossEventsAndNulIsIgnored() {
        List<Event> events = parse("id: 7\ndata: a\n\ndata: b\n\nid: 8\u0000\ndata: c\n\nid\ndata: d\n\n").events;
        assertEquals("7", events.get(0).id());
        assertEquals("7", events.get(1).id());
        assertEquals("7", events.get(2).id());
        assertEquals("", events.get(3).id());
    }

    @Test
    void retryNeedsDigitsOnly() {
        SseParser parser = new SseParser(new Recorder());
        byte[] ok = "retry: 1500\n".getBytes(StandardCharsets.US_ASCII);
        parser.feed(ok, 0, ok.length);
        byte[] bad = "retry: 15x\n".getBytes(StandardCharsets.US_ASCII);
        parser.feed(bad, 0, bad.length);
        assertEquals(1500, parser.retryMillis());
    }

    @Test
    void unknownFieldsAreIgnoredAndUnterminatedEventIsNotDispatched() {
        assertEquals(List.of(new Event("message", "a", "")), parse("foo: bar\ndata: a\n\ndata: b\n").events);
    }

    @Test
    void leadingByteOrderMarkIsSkippedOnce() {
        List<Event> events = parse("\uFEFFdata: a\n\n\uFEFFdata: b\n\n").events;
        assertEquals(1, events.size(), "a BOM later in the stream makes the field name unknown");
        assertEquals("a", events.get(0).data());
    }

    @Test
    void utf8SurvivesSplitting() {
        assertEquals("grüße ✓", parse("data: grüße ✓\n\n").events.get(0).data());
    }
}
