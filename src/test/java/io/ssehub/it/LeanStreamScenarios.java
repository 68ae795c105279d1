package io.ssehub.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ssehub.testing.Await;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The settings the README gives for hubs holding many streams: no response buffer of a stream's
 * own ({@code ssehub.stream.buffer=0}) and no line per request or stream
 * ({@code ssehub.log.access=false}). Each container then writes a batch straight through (Undertow
 * without a buffer per stream, Jetty in slices of its smallest buffer, Tomcat with its default
 * buffer); what arrives must not change, frame for frame, whatever the frame's size.
 */
abstract class LeanStreamScenarios extends ItSupport {

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
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(lines);
        try {
            try (SseClient client = subscribe("unlogged")) {
                publishOk("unlogged", "hello");
                assertEquals("hello", client.next(WAIT).data());
            }
            Await.until(WAIT, () -> publishQuietly("unlogged") == 0,
                    "the stream to be released");
            List<String> logged = lines.list.stream()
                    .filter(e -> e.getLoggerName().startsWith("io.ssehub") && e.getLevel().isGreaterOrEqual(Level.INFO))
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(List.of(), logged);
        } finally {
            root.detachAppender(lines);
        }
    }
}
