package io.ssehub.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssehub.testing.Await;
import io.ssehub.testing.LogCapture;
import io.ssehub.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator sees: metrics, health, readiness and the request log, on every container. */
class OpsIT extends ItSupport {

    @Override
    Map<String, String> params() {
        return Map.of("ssehub.tick.interval", "0");
    }

    private String metrics() throws Exception {
        HttpResponse<String> response = http.get("metrics");
        assertEquals(200, response.statusCode(), response.body());
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.replace(" ", "").startsWith("text/plain;version=0.0.4"), type); // Tomcat drops the spaces
        return response.body();
    }

    private double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), "no series " + series);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsCountStreamsEventsFramesAndBytesInThePrometheusTextFormat() throws Exception {
        try (SseClient client = subscribe("ops-metrics")) {
            publishOk("ops-metrics", "hello");
            assertEquals("hello", client.next(WAIT).data());
            Await.until(WAIT, () -> {
                try {
                    return value(metrics(), "ssehub_publish_to_flush_seconds_count") >= 1;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "the publish-to-flush time of the event");
            String text = metrics();
            assertTrue(value(text, "ssehub_streams_open") >= 1);
            assertTrue(value(text, "ssehub_events_published_total{outcome=\"delivered\"}") >= 1);
            assertTrue(value(text, "ssehub_frames_delivered_total") >= 1);
            assertTrue(value(text, "ssehub_stream_written_bytes_total") > 0);
            assertTrue(value(text, "ssehub_publish_duration_seconds_count") >= 1);
            assertTrue(text.contains("ssehub_publish_duration_seconds_bucket{le="), "a histogram");
            assertTrue(text.contains("\njvm_memory_used_bytes{"), "JVM metrics");
            assertTrue(text.contains("\nprocess_uptime_seconds "), "process metrics");
        }
    }

    @Test
    void healthzIsLivenessAndReadyzSaysReadyWithItsChecks() throws Exception {
        assertEquals(200, http.get("healthz").statusCode());
        HttpResponse<String> ready = http.get("readyz");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode body = JSON.readTree(ready.body());
        assertEquals("ready", body.get("status").asText());
        assertTrue(body.get("checks").isObject());
    }

    @Test
    void aStreamIsLoggedWhenItOpensAndWhenItCloses() throws Exception {
        String opener = "io.ssehub.http.StreamOpener";
        try (LogCapture logs = new LogCapture()) {
            try (SseClient client = subscribe("ops-stream-log")) {
                publishOk("ops-stream-log", "hello");
                assertEquals("hello", client.next(WAIT).data());
            }
            // A closed client is noticed at the next write: publish until nobody takes it.
            Await.until(WAIT, () -> publishQuietly("ops-stream-log") == 0, "the stream to be released");
            Await.until(WAIT, () -> logs.lines(opener).stream()
                    .anyMatch(line -> line.contains("stream closed on [ops-stream-log]: ")), "the close line");
            assertTrue(logs.lines(opener).stream()
                    .anyMatch(line -> line.contains("stream opened on [ops-stream-log]")), "the open line");
        }
    }

    @Test
    void everyRequestIsLoggedOnceWithoutItsQueryString() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("io.ssehub.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            server.base().resolve("topics/ops-log?access_token=SECRET-TOKEN"))
                    .header("Authorization", "Bearer SECRET-HEADER")
                    .header("Cookie", "session=SECRET-COOKIE")
                    .header("X-Request-ID", "ops-log-1").GET());
            assertEquals(404, response.statusCode());
            Await.until(WAIT, () -> lines.list.stream().anyMatch(e -> "ops-log-1".equals(e.getMDCPropertyMap().get("requestId"))),
                    "the request's line");
            List<ILoggingEvent> mine = lines.list.stream()
                    .filter(e -> "ops-log-1".equals(e.getMDCPropertyMap().get("requestId"))).toList();
            assertEquals(1, mine.size());
            String line = mine.get(0).getFormattedMessage();
            assertTrue(line.matches("GET /ssehub/topics/ops-log 404 \\d+ ms"), line);
            assertFalse(line.contains("SECRET"), line);
        } finally {
            access.detachAppender(lines);
        }
    }
}
