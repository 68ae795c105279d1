package io.ssehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssehub.testing.Await;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed API, end to end over real HTTP, written once and run on every container (see
 * {@link OnEveryContainer}). The server is shared by the scenarios of one container; each scenario
 * uses its own topics.
 */
class HubIT extends ItSupport {

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "300ms",
                "ssehub.keepalive.interval", "400ms",
                "ssehub.subscriber.queue", "64",
                "ssehub.history.size", "1000"); // the slow readers' tests publish within and beyond it
    }

    // ---- streams ----------------------------------------------------------------------------

    @Test
    void streamStartsWithReadyFrameAndSseHeaders() throws Exception {
        try (SseClient client = SseClient.open(server.base(), "events/news-ready")) {
            assertEquals(200, client.status());
            assertEquals("text/event-stream;charset=utf-8",
                    client.header("Content-Type").replace(" ", "").toLowerCase());
            assertEquals("no-cache", client.header("Cache-Control"));
            assertEquals("no", client.header("X-Accel-Buffering"));
            assertNotNull(client.header("X-Request-ID"));
            SseParser.Event ready = client.next(WAIT);
            // The ready frame carries the position the stream starts after, as the header does,
            // so a stream closed before its first event still resumes without loss.
            assertEquals(new SseParser.Event(client.header("Last-Event-ID"), "ready", "subscribed to \"news-ready\"", null),
                    ready);
        }
    }

    /**
     * A publisher that retries with its Idempotency-Key cannot publish twice: the retry gets the
     * first id; the key cannot be borrowed for another body, nor be malformed.
     */
    @Test
    void aRetryWithTheSameIdempotencyKeyCannotPublishTwice() throws Exception {
        List<SseClient> clients = subscribe("keyed", 1);
        try {
            HttpResponse<String> first = keyed("retry-1", "{\"topic\":\"keyed\",\"msg\":\"once\"}");
            HttpResponse<String> again = keyed("retry-1", "{\"topic\":\"keyed\",\"msg\":\"once\"}");
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(JSON.readTree(first.body()).get("id"), JSON.readTree(again.body()).get("id"));
            assertEquals(0, JSON.readTree(again.body()).get("delivered").asInt(), "the repeat reached nobody");
            HttpResponse<String> other = keyed("retry-1", "{\"topic\":\"keyed\",\"msg\":\"twice\"}");
            assertEquals(422, other.statusCode(), other.body());
            assertEquals(400, keyed("bad key", "{\"topic\":\"keyed\",\"msg\":\"x\"}").statusCode());
            publishOk("keyed", "end");
            assertEquals(List.of("once", "end"), clients.get(0).next(2, WAIT).stream().map(SseParser.Event::data).toList());
        } finally {
            for (SseClient client : clients) {
                client.close();
            }
        }
    }

    private HttpResponse<String> keyed(String key, String body) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(server.base().resolve("publish"))
                .header("Idempotency-Key", key).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void publishFansOutToEverySubscriberAndCountsThem() throws Exception {
        List<SseClient> clients = subscribe("fan", 3);
        try {
            JsonNode answer = publishOk("fan", "hello");
            String id = answer.get("id").asText();
            assertEquals("{\"delivered\":3,\"topic\":\"fan\",\"id\":\"" + id + "\"}", JSON.writeValueAsString(answer));
            for (SseClient client : clients) {
                assertEquals(new SseParser.Event(id, "message", "hello", null), client.next(WAIT));
            }
        } finally {
            closeAll(clients);
        }
    }

    @Test
    void topicsAreIsolated() throws Exception {
        try (SseClient a = subscribe("iso-a"); SseClient b = subscribe("iso-b")) {
            assertEquals(1, publishOk("iso-a", "for a").get("delivered").asInt());
            assertEquals(1, publishOk("iso-b", "for b").get("delivered").asInt());
            assertEquals("for a", a.next(WAIT).data());
            assertEquals("for b", b.next(WAIT).data());
            assertEquals(0, publishOk("iso-nobody", "lost").get("delivered").asInt());
        }
    }

    @Test
    void publishAcceptsJsonWhateverTheContentType() throws Exception {
        try (SseClient client = subscribe("ctype")) {
            for (String type : List.of("application/json", "application/x-www-form-urlencoded", "text/plain")) {
                HttpResponse<String> response = http.post("publish", "{\"topic\":\"ctype\",\"msg\":\"" + type + "\"}", type);
                assertEquals(200, response.statusCode(), response.body());
                assertEquals(type, client.next(WAIT).data());
            }
        }
    }

    @Test
    void newlineInMessageCannotForgeAnEventOrAnId() throws Exception {
        String attack = "first\n\nevent: evil\nid: 666\ndata: forged\r\rretry: 1\r\nlast";
        try (SseClient client = subscribe("inject")) {
            String id = publishOk("inject", attack).get("id").asText();
            String after = publishOk("inject", "after").get("id").asText();
            SseParser.Event event = client.next(WAIT);
            assertEquals("message", event.type());
            assertEquals(id, event.id());
            assertEquals(null, event.retry());
            assertEquals(attack.replace("\r\n", "\n").replace('\r', '\n'), event.data());
            assertEquals(new SseParser.Event(after, "message", "after", null), client.next(WAIT));
        }
    }

    @Test
    void utf8SurvivesTheRoundTrip() throws Exception {
        String text = "grüße, 東京, emoji \uD83D\uDE80";
        try (SseClient client = subscribe("utf8")) {
            publishOk("utf8", text);
            assertEquals(text, client.next(WAIT).data());
        }
    }

    @Test
    void tickArrivesOnSystem() throws Exception {
        try (SseClient client = subscribe("system")) {
            SseParser.Event tick = client.next(WAIT);
            assertTrue(tick.data().matches("tick at (1[0-2]|[1-9]):[0-5]\\d(AM|PM)"), tick.data());
        }
    }

    @Test
    void healthCountsSubscribersAndTopics() throws Exception {
        JsonNode before = JSON.readTree(http.get("healthz").body());
        try (SseClient a = subscribe("health-1"); SseClient b = subscribe("health-1"); SseClient c = subscribe("health-2")) {
            HttpResponse<String> response = http.get("healthz");
            assertEquals(200, response.statusCode());
            JsonNode health = JSON.readTree(response.body());
            assertEquals("up", health.get("status").asText());
            assertTrue(health.get("subscribers").asInt() >= before.get("subscribers").asInt() + 3, response.body());
            assertTrue(health.get("topics").asInt() >= 2, response.body());
        }
    }

    @Test
    void demoPageSubscribesToSystemWithARelativeUrl() throws Exception {
        HttpResponse<String> page = http.get("");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("'events/' + encodeURIComponent(topics[0])"), "relative stream URL");
        assertTrue(page.body().contains("subscribe(['system'])"));
        assertTrue(page.body().contains("fetch('publish'"), "relative publish URL");
    }

    @Test
    void requestIdIsKeptWhenValidAndReplacedOtherwise() throws Exception {
        HttpResponse<String> kept = http.send(HttpRequest.newBuilder(server.base().resolve("healthz"))
                .header("X-Request-ID", "abc-123_x.y"));
        assertEquals("abc-123_x.y", kept.headers().firstValue("X-Request-ID").orElseThrow());
        HttpResponse<String> replaced = http.send(HttpRequest.newBuilder(server.base().resolve("nowhere"))
                .header("X-Request-ID", "bad id/<script>"));
        String id = replaced.headers().firstValue("X-Request-ID").orElseThrow();
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        assertEquals(id, JSON.readTree(replaced.body()).get("requestId").asText());
    }

    // ---- bad input ----------------------------------------------------------------------------

    static Stream<Arguments> badPublishes() {
        String big = "x".repeat(64 * 1024);
        return Stream.of(
                Arguments.of("not json", "hello", 400),
                Arguments.of("empty body", "", 400),
                Arguments.of("truncated json", "{\"topic\":\"t\",\"msg\":", 400),
                Arguments.of("array", "[1,2]", 400),
                Arguments.of("string", "\"topic\"", 400),
                Arguments.of("trailing garbage", "{\"topic\":\"t\",\"msg\":\"m\"} x", 400),
                Arguments.of("duplicate key", "{\"topic\":\"t\",\"topic\":\"u\",\"msg\":\"m\"}", 400),
                Arguments.of("topic is a number", "{\"topic\":5,\"msg\":\"m\"}", 400),
                Arguments.of("msg is an object", "{\"topic\":\"t\",\"msg\":{}}", 400),
                Arguments.of("msg is an array", "{\"topic\":\"t\",\"msg\":[\"a\"]}", 400),
                Arguments.of("missing topic", "{\"msg\":\"m\"}", 422),
                Arguments.of("missing msg", "{\"topic\":\"t\"}", 422),
                Arguments.of("null msg", "{\"topic\":\"t\",\"msg\":null}", 422),
                Arguments.of("empty topic", "{\"topic\":\"\",\"msg\":\"m\"}", 422),
                Arguments.of("empty msg", "{\"topic\":\"t\",\"msg\":\"\"}", 422),
                Arguments.of("topic with space", "{\"topic\":\"a b\",\"msg\":\"m\"}", 400),
                Arguments.of("topic with newline", "{\"topic\":\"a\\nb\",\"msg\":\"m\"}", 400),
                Arguments.of("topic with slash", "{\"topic\":\"a/b\",\"msg\":\"m\"}", 400),
                Arguments.of("non-ascii topic", "{\"topic\":\"caf\u00e9\",\"msg\":\"m\"}", 400),
                Arguments.of("topic of 201 chars", "{\"topic\":\"" + "t".repeat(201) + "\",\"msg\":\"m\"}", 400),
                Arguments.of("body over 64 KiB", "{\"topic\":\"t\",\"msg\":\"" + big + "\"}", 413));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badPublishes")
    void badPublishGetsAProblemAndChangesNothing(String name, String body, int status) throws Exception {
        try (SseClient witness = subscribe("t")) {
            HttpResponse<String> response = http.post("publish", body);
            assertProblem(response, status);
            publishOk("t", "only this");
            assertEquals("only this", witness.next(WAIT).data());
        }
    }

    /**
     * A body over the limit is answered before it is read; closing the connection over the unread
     * rest would make the kernel reset it, and a reset can destroy the answer before the client
     * reads it (this lost 24 of 200 answers on Jetty, and on Tomcat 8-17 of these 400 from four
     * clients at once): the answer must always arrive.
     */
    @Test
    void aBodyOverTheLimitIsAnsweredNotResetEvenWhileItIsStillBeingSent() throws Exception {
        String body = "{\"topic\":\"t\",\"msg\":\"" + "x".repeat(256 * 1024) + "\"}";
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Void>> sent = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                sent.add(clients.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        assertProblem(http.post("publish", body, "application/json"), 413);
                    }
                    return null;
                }));
            }
            for (Future<Void> client : sent) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void chunkedBodyOverTheLimitIsRefusedWithoutReadingItAll() throws Exception {
        byte[] chunk = ("{\"topic\":\"t\",\"msg\":\"" + "y".repeat(1000)).getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(server.base().getHost(), server.base().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + server.base().getPath() + "publish HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                for (int i = 0; i < 200; i++) { // 200 KB offered, far over the 64 KiB cap
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedEarly) {
                // The server may answer and close before the client has sent everything: that is the point.
            }
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", head);
        }
    }

    static Stream<Arguments> badStreams() {
        return Stream.of(
                Arguments.of("events/a%20b", 400, false),
                Arguments.of("events/caf%C3%A9", 400, false),
                Arguments.of("events/%E2%80%A8", 400, false),
                Arguments.of("events/a%22b", 400, false),
                Arguments.of("events/a+b", 400, false),
                Arguments.of("events/a;b", 400, false),
                Arguments.of("events/" + "t".repeat(201), 400, false),
                Arguments.of("events/" + "t".repeat(5000), 400, false),
                Arguments.of("events/", 400, false),
                Arguments.of("events/a/b", 404, false),
                Arguments.of("nowhere", 404, false),
                // Some containers refuse encoded control characters before the application sees them.
                Arguments.of("events/a%0Ab", 400, true),
                Arguments.of("events/a%00b", 400, true));
    }

    @ParameterizedTest(name = "GET {0} -> {1}")
    @MethodSource("badStreams")
    void badStreamRequestGetsAProblemAndNoStream(String path, int status, boolean containerMayAnswer) throws Exception {
        int before = JSON.readTree(http.get("healthz").body()).get("subscribers").asInt();
        HttpResponse<String> response = http.get(path);
        if (containerMayAnswer && !response.headers().firstValue("Content-Type").orElse("").contains("problem")) {
            assertEquals(status, response.statusCode());
        } else {
            assertProblem(response, status);
        }
        // Streams of earlier scenarios may still be being released, so the count can only have gone down.
        int after = JSON.readTree(http.get("healthz").body()).get("subscribers").asInt();
        assertTrue(after <= before, "no stream was opened: " + before + " -> " + after);
    }

    @Test
    void topicOfExactlyTheMaximumLengthIsAccepted() throws Exception {
        String topic = "L".repeat(200);
        try (SseClient client = subscribe(topic)) {
            assertEquals(1, publishOk(topic, "long").get("delivered").asInt());
            assertEquals("long", client.next(WAIT).data());
        }
    }

    @Test
    void wrongMethodGets405WithAllow() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.base().resolve("publish")).GET());
        assertProblem(response, 405);
        assertEquals("POST", response.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(server.base().resolve("events/x"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertProblem(put, 405);
        assertEquals("GET, HEAD", put.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void headAnswersLikeGetWithoutABodyOrAStream() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.base()).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        HttpResponse<String> stream = http.send(HttpRequest.newBuilder(server.base().resolve("events/head-only"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertEquals(404, http.get("topics/head-only").statusCode(), "no subscriber was registered");
    }

    // ---- slow and vanishing clients -------------------------------------------------------

    @Test
    void aSubscriberThatNeverReadsCostsOnlyItself() throws Exception {
        int messages = 500;
        String payload = "p".repeat(8 * 1024);
        SseClient stuck = SseClient.open(server.base(), "events/slow", Map.of(), 4096);
        assertEquals("ready", stuck.next(WAIT).type()); // then never reads again
        List<SseClient> readers = subscribe("slow", 2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> received = new ArrayList<>();
            for (SseClient reader : readers) {
                received.add(pool.submit(() -> {
                    int n = 0;
                    for (SseParser.Event e : reader.next(messages, Duration.ofSeconds(60))) {
                        assertEquals(n + ":" + payload, e.data());
                        n++;
                    }
                    return n;
                }));
            }
            long worstNanos = 0;
            for (int i = 0; i < messages; i++) {
                long start = System.nanoTime();
                JsonNode answer = publishOk("slow", i + ":" + payload);
                worstNanos = Math.max(worstNanos, System.nanoTime() - start);
                assertTrue(answer.get("delivered").asInt() >= 2, "the readers always take the frame");
            }
            for (Future<Integer> r : received) {
                assertEquals(messages, r.get());
            }
            // Not a benchmark: a publish that waited for the stuck socket would take seconds.
            assertTrue(worstNanos < Duration.ofSeconds(2).toNanos(), "slowest publish " + worstNanos / 1_000_000 + " ms");
        } finally {
            pool.shutdownNow();
            closeAll(readers);
            stuck.abort();
        }
    }

    /**
     * A reader too slow for its queue (drop policy) still gets every frame, in order, while the
     * topic's history holds what the queue dropped: the stream sends it from there.
     */
    @Test
    void aSlowReaderGetsWhatItsQueueDroppedFromHistoryInOrder() throws Exception {
        int messages = 1_000; // this suite's history keeps 1,000 a topic
        String payload = "p".repeat(8 * 1024);
        List<String> ids = new ArrayList<>();
        double dropsBefore = queueFullDrops();
        try (SseClient slow = SseClient.open(server.base(), "events/slow-history", Map.of(), 4096)) {
            assertEquals("ready", slow.next(WAIT).type()); // then stops reading while all is published
            for (int i = 0; i < messages; i++) {
                ids.add(publishOk("slow-history", i + ":" + payload).get("id").asText());
            }
            for (int i = 0; i < messages; i++) {
                SseParser.Event event = slow.next(WAIT);
                assertEquals(ids.get(i), event.id(), event.type());
                assertEquals(i + ":" + payload, event.data());
            }
        }
        assertTrue(queueFullDrops() > dropsBefore, "the reader was slow enough for its queue to drop frames");
    }

    /** {@code ssehub_frames_dropped_total{reason="queue_full"}} as {@code /metrics} shows it. */
    private double queueFullDrops() throws Exception {
        return http.get("metrics").body().lines()
                .filter(line -> line.startsWith("ssehub_frames_dropped_total") && line.contains("queue_full"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /**
     * A reader too slow for the queue loses frames (drop policy) once history no longer holds them
     * either, but never silently: before the next frame it gets, a {@code reset} names the run it
     * lost. Every published frame is either received or inside a reported run, in order.
     */
    @Test
    void aSlowReaderIsToldInBandWhatItLostBeforeItsNextFrame() throws Exception {
        int messages = 3_000; // three times what the history keeps of a topic
        String payload = "p".repeat(8 * 1024);
        List<String> ids = new ArrayList<>();
        try (SseClient slow = SseClient.open(server.base(), "events/slow-reset", Map.of(), 4096)) {
            assertEquals("ready", slow.next(WAIT).type()); // then stops reading while all is published
            for (int i = 0; i < messages; i++) {
                ids.add(publishOk("slow-reset", i + ":" + payload).get("id").asText());
            }
            int next = 0;
            int resets = 0;
            while (next < messages) {
                SseParser.Event event = slow.next(WAIT);
                if (event.type().equals("reset")) {
                    JsonNode lost = JSON.readTree(event.data());
                    assertEquals(ids.get(next), lost.get("firstLost").asText(), "the run lost starts at the next frame due");
                    int last = ids.indexOf(lost.get("lastLost").asText());
                    assertEquals(last - next + 1, lost.get("dropped").asInt(), event.data());
                    next = last + 1;
                    resets++;
                } else {
                    assertEquals(ids.get(next), event.id());
                    assertEquals(next + ":" + payload, event.data());
                    next++;
                }
            }
            assertTrue(resets > 0, "the reader was slow enough to lose frames");
        }
    }

    @Test
    void clientsThatVanishAreReleased() throws Exception {
        List<SseClient> clients = subscribe("vanish", 30);
        assertEquals(30, publishOk("vanish", "before").get("delivered").asInt());
        for (SseClient client : clients) {
            client.abort();
        }
        // Each write to a reset connection fails and releases that subscriber; keep-alives do the same.
        Await.until(WAIT, () -> publishQuietly("vanish") == 0, "every vanished subscriber to be released");
    }

    @Test
    void idleStreamOutlivesTheContainersDefaultAsyncTimeout() throws Exception {
        try (SseClient client = subscribe("idle")) {
            long idleMillis = server.defaultAsyncTimeoutMillis() + 1_500;
            long deadline = System.nanoTime() + Duration.ofMillis(idleMillis).toNanos();
            int comments = 0;
            while (System.nanoTime() < deadline) {
                client.awaitComments(++comments, WAIT); // keep-alives keep arriving while idle
            }
            publishOk("idle", "still here");
            assertEquals("still here", client.next(WAIT).data());
        }
    }
}
