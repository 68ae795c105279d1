package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.Http;
import io.ssehub.testing.RedisServer;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import io.ssehub.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node on the Redis backplane (a real redis-server the suite starts on a free loopback port),
 * on every container: resumes of long histories are streamed a page at a time, and a node
 * without Mercure's subscriptions API leaves Redis alone between publishes.
 */
class RedisResumeIT extends ItSupport {

    /**
     * The most heap a resuming stream may hold here: a page of these tests' events (256 of about
     * 2 KB, some 1.7 MB as the hub counts heap: data, frame, and the multi-topic allowance), with
     * room to spare, and far below a whole gap (12 MB in Redis, some 40 MB counted so).
     */
    static final long PER_STREAM_BOUND = 2L << 20;

    RedisServer redis;

    @Override
    Map<String, String> params() {
        Map<String, String> params = new HashMap<>(Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.backplane", "redis",
                "ssehub.redis.uri", redis.uri(),
                "ssehub.redis.ping", "100ms",
                "ssehub.history.size", "10000",
                "ssehub.history.maxBytes", "64MiB",
                "ssehub.subscriber.queue", "1024",
                "ssehub.publish.maxBody", "1MiB"));
        return params;
    }

    @Override
    void beforeServerStarts() throws Exception {
        if (redis == null) {
            redis = RedisServer.start();
        } else {
            redis.cli("FLUSHALL"); // the last container's history and keys
        }
    }

    /**
     * The node is shared by the scenarios of a container, and some stop, pause or empty Redis: each
     * starts once the node has its backplane again, as a client would wait for {@code /readyz}.
     */
    @BeforeEach
    void awaitTheBackplane() throws Exception {
        Await.until(Duration.ofSeconds(30), () -> ClusterIT.ready(http), "the node to be ready");
    }

    @AfterAll
    void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    /**
     * Four clients resume {@code earliest} on a history of about 12 MiB (dozens of pages each) at
     * once, with small receive buffers, each read one event at a time in turn, while events are
     * published live: each gets every retained event once, in order, then the live ones, and the
     * node never held more than about a page per stream ({@code ssehub_resume_held_peak_bytes}),
     * far less than one gap.
     */
    @Test
    void slowConcurrentEarliestResumesHoldAboutAPageEachAndMissNothing() throws Exception {
        String topic = "long-" + container.name();
        String data = "y".repeat(2000);
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < 6000; from += 100) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = from; i < from + 100; i++) {
                batch.append(i == from ? "" : ",").append("{\"topic\":\"").append(topic).append("\",\"msg\":\"")
                        .append(i).append(data).append("\"}");
            }
            publishJson(batch.append(']').toString()).forEach(r -> ids.add(r.get("id").asText()));
        }
        long gap = Long.parseLong(redis.cli("GET", "{ssehub}:bytes"));
        assertTrue(gap > 12_000_000, "the history is long: " + gap + " bytes");

        int count = 4;
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int c = 0; c < count; c++) {
                SseClient client = SseClient.open(server.base(), "events/" + topic + "?lastEventId=earliest",
                        Map.of(), 4096);
                clients.add(client);
                assertEquals(200, client.status());
                assertEquals("ready", client.next(WAIT).type());
            }
            for (int i = 0; i < 50; i++) {
                ids.add(publishOk(topic, "live " + i).get("id").asText());
            }
            List<List<String>> received = new ArrayList<>();
            for (int c = 0; c < count; c++) {
                received.add(new ArrayList<>(ids.size()));
            }
            for (int i = 0; i < ids.size(); i++) {
                for (int c = 0; c < count; c++) {
                    SseParser.Event event = clients.get(c).next(Duration.ofSeconds(30));
                    received.get(c).add(event.id());
                }
            }
            for (int c = 0; c < count; c++) {
                assertEquals(ids, received.get(c), "client " + c + ": every event once, in order, the live ones last");
            }
        } finally {
            closeAll(clients);
        }
        long peak = metric("ssehub_resume_held_peak_bytes");
        assertTrue(peak > 0, "the resumes were counted");
        assertTrue(peak <= count * PER_STREAM_BOUND,
                "at most about a page per resuming stream: " + peak + " bytes held at once by " + count
                        + " resumes of " + gap + " bytes each");
        Await.until(WAIT, () -> metric("ssehub_resume_held_bytes") == 0, "the resumes to release what they held");
        assertEquals(count, metric("ssehub_resumes_total{result=\"resumed\""), "the resumes are counted");
        assertEquals(count * 6000L, metric("ssehub_frames_replayed_total"), "and every frame they replayed");
    }

    /**
     * With Mercure's subscriptions API off (the default), a node keeps no lease in Redis: after
     * several pings there is no lease and no subscriptions hash; a node with it on keeps both.
     */
    @Test
    void withoutTheSubscriptionsApiANodeRenewsNoLease() throws Exception {
        long pings = pings();
        Await.until(WAIT, () -> pings() >= pings + 5, "a few pings of the node");
        assertEquals("0", redis.cli("EXISTS", "{ssehub}:a"), "no lease");
        assertEquals("", redis.cli("KEYS", "{ssehub}:a:*"), "no subscriptions hash");

        Map<String, String> with = new HashMap<>(params());
        with.put("ssehub.mercure.subscriptions", "true");
        try (TestServer other = container.start(with, Map.of())) {
            Await.until(WAIT, () -> cli("EXISTS", "{ssehub}:a").equals("1"), "the lease of the node that lists subscriptions");
        }
    }

    /**
     * Redis restarts empty (a new epoch) under a node holding streams of one topic and streams of a
     * topic selector: the topic streams are told with a reset and stay open; the selector streams,
     * which a reset cannot serve, end, each with a {@code retry:} hint of its own (the base plus a
     * jitter), and each client resuming by its last id is told of the reset, then gets what follows.
     */
    @Test
    void aRedisThatRestartsEmptyClosesOnlyTheSelectorStreamsWithJitteredRetryHints() throws Exception {
        String topic = "wiped-" + container.name();
        String selected = "sel-" + container.name() + "-1";
        String selector = MercureIT.query("sel-" + container.name() + "-{n}");
        try (TestServer node = container.start(params(), Map.of())) {
            Http nodeHttp = new Http(node.base());
            List<SseClient> topicStreams = new ArrayList<>();
            List<SseClient> selectorStreams = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    topicStreams.add(ClusterIT.subscribe(node, "events/" + topic, Map.of()));
                }
                for (int i = 0; i < 4; i++) {
                    selectorStreams.add(openSelector(node, selector));
                }
                String topicBefore = ClusterIT.publish(nodeHttp, topic, "t-before").get("id").asText();
                String selectedBefore = ClusterIT.publish(nodeHttp, selected, "s-before").get("id").asText();
                for (SseClient client : topicStreams) {
                    assertEquals(topicBefore, client.next(WAIT).id());
                }
                for (SseClient client : selectorStreams) {
                    assertEquals(selectedBefore, client.next(WAIT).id());
                }

                restartEmpty(nodeHttp);
                // The first publish begins the new epoch; the node learns of it from its channels.
                ClusterIT.publish(nodeHttp, topic, "t-after");

                Set<Long> hints = new HashSet<>();
                for (SseClient client : selectorStreams) {
                    client.readToEnd(WAIT);
                    Long retry = client.retry();
                    assertTrue(retry != null && retry >= 1_000 && retry <= 5_000, "a retry: hint of 1 s plus up to 4 s: " + retry);
                    hints.add(retry);
                }
                assertTrue(hints.size() > 1, "the hints are spread, not all " + hints);

                for (SseClient client : topicStreams) {
                    SseParser.Event reset = client.next(WAIT);
                    assertEquals("reset", reset.type(), "what Redis lost is announced on the topic stream");
                    // the position the node had reached on its channels: past this stream's own last event
                    assertEquals(selectedBefore, JSON.readTree(reset.data()).get("lastEventId").asText());
                    assertEquals("t-after", client.next(WAIT).data());
                }
                ClusterIT.publish(nodeHttp, topic, "t-later");
                for (SseClient client : topicStreams) {
                    assertEquals("t-later", client.next(WAIT).data(), "the topic streams stay open");
                }
                assertEquals(4, metric(nodeHttp, "ssehub_streams_closed_total{reason=\"resync\""),
                        "the selector streams alone were closed for the resync");

                try (SseClient resumed = SseClient.open(node.base(), selector, Map.of("Last-Event-ID", selectedBefore))) {
                    assertEquals(200, resumed.status());
                    assertEquals("reset", resumed.next(WAIT).type(), "the resume by the last id announces the reset");
                    ClusterIT.publish(nodeHttp, selected, "s-after");
                    assertEquals("s-after", resumed.next(WAIT).data());
                }
            } finally {
                closeAll(topicStreams);
                closeAll(selectorStreams);
            }
        }
    }

    /**
     * As above, but the event that begins the new epoch is on a topic the selector matches: the
     * selector streams end without it (a client that got it would resume from an id of the new
     * epoch and never learn what was lost), and a client resuming by its last id is told of the
     * reset, then gets that event and what follows.
     */
    @Test
    void aSelectorStreamClosedForANewEpochIsNotSentTheNewEpochsEvents() throws Exception {
        String selected = "first-" + container.name() + "-1";
        String selector = MercureIT.query("first-" + container.name() + "-{n}");
        try (TestServer node = container.start(params(), Map.of())) {
            Http nodeHttp = new Http(node.base());
            List<SseClient> selectorStreams = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    selectorStreams.add(openSelector(node, selector));
                }
                String before = ClusterIT.publish(nodeHttp, selected, "before").get("id").asText();
                for (SseClient client : selectorStreams) {
                    assertEquals(before, client.next(WAIT).id());
                }

                restartEmpty(nodeHttp);
                // The first publish begins the new epoch, on a topic the selector matches.
                ClusterIT.publish(nodeHttp, selected, "after");

                for (SseClient client : selectorStreams) {
                    List<String> sent = client.readToEnd(WAIT).stream().map(SseParser.Event::data).toList();
                    assertEquals(List.of(), sent, "nothing of the new epoch before the end of the stream");
                    assertTrue(client.retry() != null, "the stream ends with a retry: hint");
                }

                try (SseClient resumed = SseClient.open(node.base(), selector, Map.of("Last-Event-ID", before))) {
                    assertEquals(200, resumed.status());
                    assertEquals("reset", resumed.next(WAIT).type(), "the resume by the last id announces the reset");
                    assertEquals("after", resumed.next(WAIT).data(), "then the new epoch's events");
                    ClusterIT.publish(nodeHttp, selected, "later");
                    assertEquals("later", resumed.next(WAIT).data());
                }
            } finally {
                closeAll(selectorStreams);
            }
        }
    }

    /**
     * A node's pub/sub connection drops (its streams are of a topic and of a topic selector) while
     * another node, whose history keeps two events a topic, publishes a batch that trims the gap
     * away (Redis holds every script back meanwhile, so the node is holding when it runs): in the
     * same epoch, the cross-topic index no longer covers the gap, and every stream of the node is
     * closed. Each ends with nothing published after the gap (a client sent it would resume after
     * it and never learn of the loss) and a {@code retry:} hint, and each client resuming by its
     * last id is told of the reset.
     */
    @Test
    void streamsClosedForAGapHistoryLostAreSentNothingAfterIt() throws Exception {
        String topic = "trim-" + container.name() + "-1";
        String selector = MercureIT.query("trim-" + container.name() + "-{n}");
        Map<String, String> small = new HashMap<>(params());
        small.put("ssehub.history.size", "2");
        try (TestServer node = container.start(small, Map.of()); TestServer publisher = container.start(small, Map.of())) {
            Http nodeHttp = new Http(node.base());
            List<SseClient> streams = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    streams.add(ClusterIT.subscribe(node, "events/" + topic, Map.of()));
                    streams.add(openSelector(node, selector));
                }
                String before = ClusterIT.publish(new Http(publisher.base()), topic, "before").get("id").asText();
                for (SseClient client : streams) {
                    assertEquals(before, client.next(WAIT).id());
                }

                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < 10; i++) {
                    batch.append(i == 0 ? "" : ",").append(JSON.writeValueAsString(Map.of("topic", topic, "msg", "after " + i)));
                }
                java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> published;
                redis.cli("CLIENT", "PAUSE", "30000", "WRITE");
                try {
                    published = java.net.http.HttpClient.newHttpClient().sendAsync(
                            java.net.http.HttpRequest.newBuilder(publisher.base().resolve("publish"))
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(batch.append(']').toString())).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    Await.until(WAIT, () -> cli("CLIENT", "LIST").lines()
                            .anyMatch(line -> line.contains(" flags=b ") && line.contains(" cmd=eval")), "the batch to wait in Redis");
                    for (String line : cli("CLIENT", "LIST").lines().filter(l -> !l.contains(" sub=0 ")).toList()) {
                        redis.cli("CLIENT", "KILL", "ID", line.substring(3, line.indexOf(' '))); // the pub/sub connection
                    }
                    Await.until(WAIT, () -> !ClusterIT.ready(nodeHttp), "the node to hold its live events");
                } finally {
                    redis.cli("CLIENT", "UNPAUSE");
                }
                java.net.http.HttpResponse<String> answer = published.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), "the batch is in Redis: " + answer.body());

                for (SseClient client : streams) {
                    List<String> sent = client.readToEnd(WAIT).stream().map(SseParser.Event::data).toList();
                    assertEquals(List.of(), sent, "nothing published after the gap before the end of the stream");
                    assertTrue(client.retry() != null, "the stream ends with a retry: hint");
                }
                Await.until(WAIT, () -> metric(nodeHttp, "ssehub_streams_closed_total{reason=\"resync\"") == streams.size(),
                        "the node's streams, all of them, to be counted as closed for the resync");
                Await.until(WAIT, () -> ClusterIT.ready(nodeHttp), "the node to be ready again");

                try (SseClient resumed = ClusterIT.subscribe(node, "events/" + topic, Map.of("Last-Event-ID", before))) {
                    SseParser.Event reset = resumed.next(WAIT);
                    assertEquals("reset", reset.type(), "the topic stream's resume by the last id announces the loss");
                    assertEquals(before, JSON.readTree(reset.data()).get("lastEventId").asText());
                    assertEquals("after 8", resumed.next(WAIT).data(), "then what history still holds");
                }
                try (SseClient resumed = SseClient.open(node.base(), selector, Map.of("Last-Event-ID", before))) {
                    assertEquals(200, resumed.status());
                    assertEquals("reset", resumed.next(WAIT).type(), "the selector stream's resume by the last id announces the loss");
                    assertEquals("after 8", resumed.next(WAIT).data(), "then what history still holds");
                }
            } finally {
                closeAll(streams);
            }
        }
    }

    /** A stream of topic selectors on the node, open. */
    private static SseClient openSelector(TestServer node, String selector) throws IOException {
        SseClient client = SseClient.open(node.base(), selector, Map.of());
        assertEquals(200, client.status());
        return client;
    }

    /** Stops Redis until the node reports the outage, and starts it again empty (a new epoch). */
    private void restartEmpty(Http nodeHttp) throws Exception {
        redis.stopProcess();
        Await.until(WAIT, () -> !ClusterIT.ready(nodeHttp), "the node to report the outage");
        redis.forgetData();
        redis.startProcess();
        Await.until(Duration.ofSeconds(30), () -> ClusterIT.ready(nodeHttp), "the node to be ready again");
    }

    /**
     * A publish sent to Redis (held there by {@code CLIENT PAUSE WRITE}, so its script has not run)
     * when the node is undeployed: the undeploy waits for it, and its answer is exact once Redis runs
     * it: 200 only if the event is in Redis (another node replays it), 503 only if it is not, 504
     * either way. The undeploy does not hang.
     */
    @Test
    void aPublishInFlightAtUndeployIsAnsweredExactly() throws Exception {
        String topic = "undeploy-" + container.name();
        try (TestServer node = container.start(params(), Map.of())) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> answer;
            Thread undeploying;
            java.util.concurrent.atomic.AtomicLong undeployNanos = new java.util.concurrent.atomic.AtomicLong(-1);
            redis.cli("CLIENT", "PAUSE", "30000", "WRITE");
            try {
                answer = client.sendAsync(java.net.http.HttpRequest.newBuilder(node.base().resolve("publish"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("topic", topic, "msg", "in flight")))).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                Await.until(WAIT, () -> cli("CLIENT", "LIST").lines()
                                .anyMatch(line -> line.contains(" flags=b ") && line.contains(" cmd=eval")),
                        "the publish script to wait in Redis");
                undeploying = new Thread(() -> {
                    long start = System.nanoTime();
                    try {
                        node.undeploy();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    undeployNanos.set(System.nanoTime() - start);
                }, "undeploy");
                undeploying.start();
                Await.until(WAIT, () -> waitingForPublishes(undeploying), "the undeploy to wait for the publish in flight");
            } finally {
                redis.cli("CLIENT", "UNPAUSE");
            }
            java.net.http.HttpResponse<String> response = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            undeploying.join(30_000);
            assertTrue(undeployNanos.get() >= 0, "the undeploy ended");
            assertTrue(undeployNanos.get() < Duration.ofSeconds(20).toNanos(),
                    "the undeploy did not hang: " + undeployNanos.get() / 1_000_000 + " ms");

            try (SseClient history = SseClient.open(server.base(), "events/" + topic + "?lastEventId=earliest", Map.of())) {
                assertEquals("ready", history.next(WAIT).type());
                publishOk(topic, "end");
                List<SseParser.Event> held = ClusterIT.readUpTo(history, "end");
                List<String> data = held.stream().map(SseParser.Event::data).toList();
                switch (response.statusCode()) {
                    case 200 -> {
                        assertEquals(List.of("in flight"), data, "answered 200: the event is in Redis");
                        assertEquals(JSON.readTree(response.body()).get("id").asText(), held.get(0).id());
                    }
                    case 503 -> assertEquals(List.of(), data, "answered 503: the event is not in Redis");
                    case 504 -> assertTrue(data.equals(List.of()) || data.equals(List.of("in flight")), data.toString());
                    default -> throw new AssertionError(response.statusCode() + " " + response.body());
                }
            }
        }
    }

    /** Whether the thread is in the shutdown's wait for publishes in flight. */
    private static boolean waitingForPublishes(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(io.ssehub.http.InFlight.class.getName())
                    && frame.getMethodName().equals("closeAndAwait")) {
                return true;
            }
        }
        return false;
    }

    private long pings() {
        for (String line : cli("INFO", "commandstats").split("\n")) {
            if (line.startsWith("cmdstat_ping:")) {
                String calls = line.substring(line.indexOf("calls=") + 6);
                return Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return 0;
    }

    private String cli(String... command) {
        try {
            return redis.cli(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long metric(String name) {
        return metric(http, name);
    }

    /**
     * A metric of the node {@code http} reaches, as its Prometheus scrape gives it; {@code name}
     * may end with the first of its labels, the brace left open.
     */
    static long metric(Http http, String name) {
        try {
            for (String line : http.get("metrics").body().split("\n")) {
                String rest = line.startsWith(name) ? line.substring(name.length()) : "";
                // a name alone, or one with labels given in part: {@code name{a="1"} 2.0}
                if (rest.startsWith(" ") || rest.startsWith("{") || rest.startsWith(",") || rest.startsWith("}")) {
                    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError("no metric " + name);
    }
}
