package io.ssehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.background.BackgroundEventHandler;
import io.ssehub.testing.EventHandler;
import com.launchdarkly.eventsource.background.BackgroundEventSource;
import io.ssehub.testing.Await;
import io.ssehub.testing.Http;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import io.ssehub.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event ids, history, resume, reset, multi-topic streams, batches and the overflow policies. */
class ResumeIT extends ItSupport {

    static final int HISTORY = 50;

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.keepalive.interval", "400ms",
                "ssehub.subscriber.queue", "64",
                "ssehub.history.size", Integer.toString(HISTORY));
    }

    List<String> publishMany(String topic, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(publishOk(topic, "m" + i).get("id").asText());
        }
        return ids;
    }

    @Test
    void eventsCarryIncreasingIdsAndTheReadyFrameThePosition() throws Exception {
        try (SseClient client = SseClient.open(server.base(), "events/ids")) {
            SseParser.Event ready = client.next(WAIT);
            String live = client.header("Last-Event-ID");
            assertEquals(live, ready.id(), "the ready frame carries the position the stream starts after");
            List<String> ids = publishMany("ids", 3);
            for (String id : ids) {
                assertEquals(id, client.next(WAIT).id());
            }
            assertTrue(ids.stream().allMatch(id -> id.matches("[0-9a-z]+-\\d+")), ids.toString());
            assertEquals(live.substring(0, live.indexOf('-')), ids.get(0).substring(0, ids.get(0).indexOf('-')), "one epoch");
        }
    }

    @Test
    void resumeByHeaderReplaysTheRestThenGoesLive() throws Exception {
        List<String> ids = publishMany("r-header", 5);
        try (SseClient client = SseClient.open(server.base(), "events/r-header", Map.of("Last-Event-ID", ids.get(1)))) {
            assertEquals(ids.get(1), client.header("Last-Event-ID"));
            assertEquals("ready", client.next(WAIT).type());
            List<String> replayed = client.next(3, WAIT).stream().map(SseParser.Event::id).toList();
            assertEquals(ids.subList(2, 5), replayed);
            String live = publishOk("r-header", "live").get("id").asText();
            assertEquals(live, client.next(WAIT).id());
        }
    }

    @Test
    void resumeByQueryParameterAndTheHeaderWinsOverIt() throws Exception {
        List<String> ids = publishMany("r-query", 4);
        try (SseClient client = SseClient.open(server.base(), "events/r-query?lastEventId=" + ids.get(0))) {
            assertEquals("ready", client.next(WAIT).type());
            assertEquals(ids.subList(1, 4), client.next(3, WAIT).stream().map(SseParser.Event::id).toList());
        }
        try (SseClient client = SseClient.open(server.base(), "events/r-query?lastEventId=" + ids.get(0),
                Map.of("Last-Event-ID", ids.get(2)))) {
            assertEquals("ready", client.next(WAIT).type());
            assertEquals(ids.get(3), client.next(WAIT).id());
        }
    }

    @Test
    void earliestReplaysAllRetainedHistory() throws Exception {
        List<String> ids = publishMany("r-earliest", 3);
        try (SseClient client = SseClient.open(server.base(), "events/r-earliest?lastEventId=earliest")) {
            assertEquals("ready", client.next(WAIT).type());
            assertEquals(ids, client.next(3, WAIT).stream().map(SseParser.Event::id).toList());
        }
    }

    @Test
    void resetTellsWhatWasLostWhenHistoryNoLongerCoversTheGap() throws Exception {
        List<String> ids = publishMany("r-reset", HISTORY + 10);
        try (SseClient client = SseClient.open(server.base(), "events/r-reset", Map.of("Last-Event-ID", ids.get(0)))) {
            assertEquals("ready", client.next(WAIT).type());
            SseParser.Event reset = client.next(WAIT);
            assertEquals("reset", reset.type());
            JsonNode data = JSON.readTree(reset.data());
            assertEquals(ids.get(0), data.get("lastEventId").asText());
            assertEquals(ids.get(10), data.get("oldestAvailable").asText());
            assertEquals(client.header("Last-Event-ID"), reset.id(), "the reset moves the resume point");
            assertEquals(ids.subList(10, HISTORY + 10),
                    client.next(HISTORY, WAIT).stream().map(SseParser.Event::id).toList());
        }
    }

    @Test
    void anIdFromAnotherRunIsAReset() throws Exception {
        publishOk("r-foreign", "x");
        try (SseClient client = SseClient.open(server.base(), "events/r-foreign", Map.of("Last-Event-ID", "zzzz-3"))) {
            assertEquals("ready", client.next(WAIT).type());
            SseParser.Event reset = client.next(WAIT);
            assertEquals("reset", reset.type());
            assertEquals("zzzz-3", JSON.readTree(reset.data()).get("lastEventId").asText());
        }
    }

    @Test
    void oversizedLastEventIdIsRefused() throws Exception {
        assertProblem(http.get("events/x?lastEventId=" + "9".repeat(200)), 400);
    }

    @Test
    void aLastEventIdWithALineBreakCannotForgeAFrame() throws Exception {
        // The ready frame echoes the position as its id: a line break there would start a new field.
        assertProblem(http.get("events/x?lastEventId=" + URLEncoder.encode("a\nevent: forged\ndata: x", StandardCharsets.UTF_8)), 400);
        assertProblem(http.get(".well-known/mercure?topic=x&lastEventID=" + URLEncoder.encode("a\rdata: x", StandardCharsets.UTF_8)), 400);
    }

    @Test
    void aStreamClosedBeforeItsFirstEventResumesWithoutLoss() throws Exception {
        String position;
        try (SseClient first = SseClient.open(server.base(), "events/early-close")) {
            position = first.next(WAIT).id(); // all an EventSource knows of this stream
        }
        String missed = publishOk("early-close", "published while away").get("id").asText();
        try (SseClient again = SseClient.open(server.base(), "events/early-close", Map.of("Last-Event-ID", position))) {
            assertEquals(position, again.next(WAIT).id(), "resuming does not move the client");
            SseParser.Event event = again.next(WAIT);
            assertEquals(missed, event.id());
            assertEquals("published while away", event.data());
        }
    }

    @Test
    void oneMultiTopicStreamCarriesSeveralTopicsAndResumesThemAll() throws Exception {
        String first;
        try (SseClient client = SseClient.open(server.base(), "events?topic=mt-a&topic=mt-b")) {
            assertEquals(200, client.status());
            assertEquals("subscribed to \"mt-a\", \"mt-b\"", client.next(WAIT).data());
            publishOk("mt-a", "one");
            publishOk("mt-c", "not mine");
            publishOk("mt-b", "two\nlines");
            List<SseParser.Event> events = client.next(2, WAIT);
            assertEquals("mt-a", JSON.readTree(events.get(0).data()).get("topic").asText());
            assertEquals("one", JSON.readTree(events.get(0).data()).get("data").asText());
            assertEquals("mt-b", JSON.readTree(events.get(1).data()).get("topic").asText());
            assertEquals("two\nlines", JSON.readTree(events.get(1).data()).get("data").asText());
            first = events.get(1).id();
        }
        String missedA = publishOk("mt-a", "missed a").get("id").asText();
        publishOk("mt-c", "still not mine");
        String missedB = publishOk("mt-b", "missed b").get("id").asText();
        try (SseClient client = SseClient.open(server.base(), "events?topic=mt-a&topic=mt-b", Map.of("Last-Event-ID", first))) {
            assertEquals("ready", client.next(WAIT).type());
            assertEquals(List.of(missedA, missedB), client.next(2, WAIT).stream().map(SseParser.Event::id).toList());
        }
    }

    @Test
    void multiTopicStreamLimitsAndChecksItsTopics() throws Exception {
        assertProblem(http.get("events"), 400);
        assertProblem(http.get("events?topic=ok&topic=bad%20one"), 400);
        String tooMany = IntStream.range(0, 33).mapToObj(i -> "topic=t" + i).collect(Collectors.joining("&"));
        assertProblem(http.get("events?" + tooMany), 400);
    }

    @Test
    void publishAcceptsEventTypeAndRetry() throws Exception {
        try (SseClient client = subscribe("fields")) {
            publishJson("{\"topic\":\"fields\",\"msg\":\"42\",\"event\":\"price\",\"retry\":2500}");
            SseParser.Event event = client.next(WAIT);
            assertEquals("price", event.type());
            assertEquals(2500L, event.retry());
            assertEquals("42", event.data());
        }
    }

    @Test
    void badEventTypesAndRetriesAreRefused() throws Exception {
        for (String body : List.of(
                "{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"a\\nb\"}",
                "{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"a\\rb\"}",
                "{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"\"}",
                "{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"" + "e".repeat(65) + "\"}",
                "{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"reset\"}",
                "{\"topic\":\"t\",\"msg\":\"m\",\"event\":\"ready\"}",
                "{\"topic\":\"t\",\"msg\":\"m\",\"retry\":-1}")) {
            assertProblem(http.post("publish", body), 422);
        }
        assertProblem(http.post("publish", "{\"topic\":\"t\",\"msg\":\"m\",\"event\":5}"), 400);
        assertProblem(http.post("publish", "{\"topic\":\"t\",\"msg\":\"m\",\"retry\":\"soon\"}"), 400);
        assertProblem(http.post("publish", "{\"topic\":\"t\",\"msg\":\"m\",\"retry\":1.5}"), 400);
    }

    @Test
    void batchPublishesInOrderAndAnswersInOrder() throws Exception {
        try (SseClient client = subscribe("batch")) {
            JsonNode answers = publishJson("[{\"topic\":\"batch\",\"msg\":\"1\"},{\"topic\":\"batch-x\",\"msg\":\"2\"},"
                    + "{\"topic\":\"batch\",\"msg\":\"3\",\"event\":\"e\"}]");
            assertEquals(3, answers.size());
            assertEquals(1, answers.get(0).get("delivered").asInt());
            assertEquals(0, answers.get(1).get("delivered").asInt());
            assertEquals("batch-x", answers.get(1).get("topic").asText());
            List<SseParser.Event> events = client.next(2, WAIT);
            assertEquals(answers.get(0).get("id").asText(), events.get(0).id());
            assertEquals(answers.get(2).get("id").asText(), events.get(1).id());
            assertEquals("e", events.get(1).type());
        }
    }

    @Test
    void aBadItemRejectsTheWholeBatchNamingItsIndex() throws Exception {
        try (SseClient client = subscribe("batch-bad")) {
            HttpResponse<String> response = http.post("publish",
                    "[{\"topic\":\"batch-bad\",\"msg\":\"1\"},{\"topic\":\"batch-bad\"},{\"topic\":\"batch-bad\",\"msg\":\"3\"}]");
            assertProblem(response, 422);
            JsonNode problem = JSON.readTree(response.body());
            assertEquals(1, problem.get("index").asInt());
            assertTrue(problem.get("detail").asText().startsWith("item 1: "), problem.toString());
            assertProblem(http.post("publish", "[{\"topic\":\"batch-bad\",\"msg\":\"1\"},{\"topic\":\"bad topic\",\"msg\":\"2\"}]"), 400);
            assertProblem(http.post("publish", "[]"), 422);
            assertProblem(http.post("publish", "[" + "{\"topic\":\"t\",\"msg\":\"m\"},".repeat(100) + "{\"topic\":\"t\",\"msg\":\"m\"}]"), 422);
            assertProblem(http.post("publish", "[1]"), 400);
            String ok = publishOk("batch-bad", "only this").get("id").asText();
            assertEquals(ok, client.next(WAIT).id(), "nothing of the refused batches was published");
        }
    }

    @Test
    void topicInfoShowsSubscribersLastIdAndRetained() throws Exception {
        try (SseClient client = subscribe("info")) {
            List<String> ids = publishMany("info", 3);
            HttpResponse<String> response = http.get("topics/info");
            assertEquals(200, response.statusCode());
            assertEquals("{\"topic\":\"info\",\"subscribers\":1,\"lastEventId\":\"" + ids.get(2) + "\",\"retained\":3}",
                    response.body());
        }
        assertProblem(http.get("topics/never-seen"), 404);
        assertProblem(http.get("topics/bad%20name"), 400);
    }

    /** A client that stops reading is cut off and, resuming by id, still ends with every event exactly once. */
    @Test
    void disconnectPolicyClosesASlowClientWhichResumesWithoutLoss() throws Exception {
        try (TestServer strict = container.start(Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.overflow", "disconnect",
                "ssehub.overflow.grace", "300ms",
                "ssehub.subscriber.queue", "4",
                "ssehub.publish.maxBody", "1MiB",
                "ssehub.history.size", "5000"))) {
            Http strictHttp = new Http(strict.base());
            String payload = "p".repeat(8 * 1024);
            int total = 2_000;
            SseClient slow = SseClient.open(strict.base(), "events/strict", Map.of(), 4096);
            assertEquals("ready", slow.next(WAIT).type());
            for (int batch = 0; batch < total / 100; batch++) {
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < 100; i++) {
                    body.append(i == 0 ? "" : ",").append("{\"topic\":\"strict\",\"msg\":\"")
                            .append(batch * 100 + i).append(':').append(payload).append("\"}");
                }
                HttpResponse<String> response = strictHttp.post("publish", body.append(']').toString());
                assertEquals(200, response.statusCode(), response.body());
            }
            List<SseParser.Event> received = new ArrayList<>(slow.readToEnd(Duration.ofSeconds(30)));
            assertTrue(received.size() < total, "the slow client was cut off before the end: " + received.size());
            String lastId = received.get(received.size() - 1).id();
            try (SseClient again = SseClient.open(strict.base(), "events/strict", Map.of("Last-Event-ID", lastId))) {
                assertEquals("ready", again.next(WAIT).type());
                received.addAll(again.next(total - received.size(), Duration.ofSeconds(30)));
            }
            for (int i = 0; i < total; i++) {
                assertEquals(i + ":" + payload, received.get(i).data(), "event " + i + " exactly once, in order");
            }
        }
    }

    /**
     * A browser-compatible client written elsewhere (LaunchDarkly's okhttp-eventsource) follows the
     * server closing its stream, reconnects with Last-Event-ID and misses nothing.
     */
    @Test
    void anIndependentEventSourceClientResumesThroughServerClosesWithoutLoss() throws Exception {
        try (TestServer closing = container.start(Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.stream.maxLifetime", "700ms",
                "ssehub.overflow.grace", "400ms"))) {
            List<String> data = new CopyOnWriteArrayList<>();
            AtomicInteger opens = new AtomicInteger();
            BackgroundEventHandler handler = new EventHandler((event, message) -> {
                if (event.equals("message")) {
                    data.add(message.getData());
                }
            }, opens::incrementAndGet);
            EventSource.Builder source = new EventSource.Builder(
                    ConnectStrategy.http(closing.base().resolve("events/lib")).readTimeout(30, TimeUnit.SECONDS))
                    .retryDelay(50, TimeUnit.MILLISECONDS);
            try (BackgroundEventSource events = new BackgroundEventSource.Builder(handler, source).build()) {
                events.start();
                Http closingHttp = new Http(closing.base());
                Await.until(WAIT, () -> opens.get() >= 1, "the client to connect");
                int rounds = 4;
                int perRound = 40;
                int total = rounds * perRound;
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < perRound; i++) {
                        HttpResponse<String> response = closingHttp.post("publish",
                                "{\"topic\":\"lib\",\"msg\":\"" + (round * perRound + i) + "\"}");
                        assertEquals(200, response.statusCode());
                    }
                    int opened = opens.get();
                    // The next round is published across the server's next close and the client's reconnect.
                    Await.until(WAIT, () -> opens.get() > opened, "the stream to be closed and reopened");
                }
                Await.until(Duration.ofSeconds(20), () -> data.size() >= total, "all events: have " + data.size());
                assertTrue(opens.get() >= 3, "the server closed the stream several times: " + opens.get());
                assertEquals(IntStream.range(0, total).mapToObj(Integer::toString).toList(), data);
            }
        }
    }
}
