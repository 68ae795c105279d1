package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.LogCapture;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The settings docs/deployment.md gives for hubs holding many streams: no response buffer of a stream's
 * own ({@code ssehub.stream.buffer=0}) and no line per request or stream
 * ({@code ssehub.log.access=false}). Each container then writes a batch straight through (Undertow
 * without a buffer per stream, Jetty in slices of its smallest buffer, Tomcat with its default
 * buffer); what arrives must not change, frame for frame, whatever the frame's size.
 */
class LeanStreamIT extends ItSupport {

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.keepalive.interval", "300ms",
                "ssehub.subscriber.queue", "256",
                "ssehub.stream.buffer", "0",
                "ssehub.log.access", "false");
    }

    @Test
    void everyFrameArrivesWholeWithoutAResponseBuffer() throws Exception {
        String big = "x".repeat(8 * 1024 - 7) + "\u00e9\u4e2d\ud83d\ude00";
        List<String> sent = new ArrayList<>(List.of("one", "two\nlines\r\nand\rthree", big));
        for (int i = 0; i < 50; i++) {
            sent.add("burst " + i);
        }
        try (SseClient client = subscribe("unbuffered")) {
            for (String msg : sent) {
                assertEquals(1, publishOk("unbuffered", msg).get("delivered").asInt());
            }
            List<SseParser.Event> events = client.next(sent.size(), WAIT);
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(sent.get(i).replace("\r\n", "\n").replace('\r', '\n'), events.get(i).data(),
                        "message " + i);
            }
            client.awaitComments(2, WAIT); // keep-alives still go out
        }
    }

    @Test
    void withTheAccessLogOffNeitherRequestsNorStreamsAreLogged() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            try (SseClient client = subscribe("unlogged")) {
                publishOk("unlogged", "hello");
                assertEquals("hello", client.next(WAIT).data());
            }
            Await.until(WAIT, () -> publishQuietly("unlogged") == 0,
                    "the stream to be released");
            // Lines start with their level and logger: ours at INFO or above, whatever the logger.
            List<String> logged = logs.lines("io.ssehub").stream()
                    .filter(line -> line.matches("(?s)(INFO|WARN|ERROR) io\\.ssehub.*")).toList();
            assertEquals(List.of(), logged);
        }
    }
}
