package io.ssehub.it;

import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Streams with no response buffer of their own ({@code ssehub.stream.buffer=0}), the setting for
 * many idle streams on Undertow: each container then writes a batch straight through (Undertow
 * without a buffer per stream, Jetty in slices of its smallest buffer, Tomcat with its default
 * buffer). What arrives must not change, frame for frame, whatever the frame's size.
 */
abstract class StreamBufferScenarios extends ItSupport {

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.keepalive.interval", "300ms",
                "ssehub.subscriber.queue", "256",
                "ssehub.stream.buffer", "0");
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
}
