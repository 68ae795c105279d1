package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import io.ssehub.testing.TomcatServer;
import org.apache.catalina.connector.Request;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a stream gives back of its request's buffers once it is open (on Tomcat, its two character
 * buffers and its unused input byte buffer): a trimmed stream still carries every frame whole,
 * keep-alives, resumes and closes, on every container; on Tomcat the buffers are really gone while
 * it is open and back at their size once it closed, for the connection's next request.
 */
class StreamTrimIT extends ItSupport {

    /** What Tomcat 10.1 and 11 allocate for each character buffer of a request. */
    static final int TOMCAT_CHARS = 8192;

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.keepalive.interval", "300ms",
                "ssehub.log.access", "false");
    }

    @Test
    void aTrimmedStreamCarriesFramesKeepAlivesAndResumes() throws Exception {
        String big = "x".repeat(9000) + "\u00e9\u4e2d\ud83d\ude00";
        List<String> sent = List.of("one", big, "\u00e9t\u00e9", "last");
        String firstId;
        try (SseClient client = subscribe("trimmed")) {
            for (String msg : sent) {
                assertEquals(1, publishOk("trimmed", msg).get("delivered").asInt());
            }
            List<SseParser.Event> events = client.next(sent.size(), WAIT);
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(sent.get(i), events.get(i).data(), "message " + i);
            }
            firstId = events.get(0).id();
            client.awaitComments(2, WAIT);
        }
        Await.until(WAIT, () -> publishQuietly("trimmed") == 0, "the closed stream to be released");
        try (SseClient resumed = SseClient.open(server.base(), "events/trimmed", Map.of("Last-Event-ID", firstId))) {
            assertEquals(200, resumed.status());
            assertEquals("ready", resumed.next(WAIT).type());
            List<SseParser.Event> replay = resumed.next(sent.size() - 1, WAIT);
            assertEquals(sent.subList(1, sent.size()), replay.stream().map(SseParser.Event::data).toList());
        }
    }

    @Test
    void onTomcatAnOpenStreamHoldsNoCharacterBuffersAndClosingGivesThemBack() throws Exception {
        assumeTrue(server instanceof TomcatServer, "the trim is Tomcat's only");
        TomcatServer tomcat = (TomcatServer) server;
        Request request;
        try (SseClient client = subscribe("tomcat-trim")) {
            request = tomcat.lastStreamRequest();
            assertNotNull(request);
            Object input = field(request, "inputBuffer");
            Object output = field(request.getResponse(), "outputBuffer");
            assertTrue(capacity(input, "cb") <= 64, "input chars: " + capacity(input, "cb"));
            assertTrue(capacity(output, "cb") <= 64, "output chars: " + capacity(output, "cb"));
            assertEquals(0, capacity(input, "bb"), "a stream's own input bytes");
            assertEquals(1, publishOk("tomcat-trim", "still \u00e9").get("delivered").asInt());
            assertEquals("still \u00e9", client.next(WAIT).data());
        }
        Object input = field(request, "inputBuffer");
        Object output = field(request.getResponse(), "outputBuffer");
        Await.until(WAIT, () -> capacity(input, "cb") == TOMCAT_CHARS && capacity(output, "cb") == TOMCAT_CHARS,
                "Tomcat's character buffers to be back for the next request");
    }

    private static int capacity(Object owner, String name) {
        return ((Buffer) field(owner, name)).capacity();
    }

    /** {@code owner}'s own field {@code name}, whatever its access. */
    private static Object field(Object owner, String name) {
        try {
            Field field = owner.getClass().getDeclaredField(name);
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Tomcat's " + owner.getClass().getName() + "." + name + ": " + e, e);
        }
    }
}
