package io.ssehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssehub.testing.Await;
import io.ssehub.testing.Http;
import io.ssehub.testing.LeakWatch;
import io.ssehub.testing.JettyServer;
import io.ssehub.testing.RedisServer;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import io.ssehub.testing.TestServer;
import io.ssehub.testing.TomcatServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes, one on Jetty and one on Tomcat, sharing topics through a real redis-server that the
 * test starts on a free loopback port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

    static final Duration WAIT = Duration.ofSeconds(15);

    TwoNodes nodes;
    RedisServer redis;
    TestServer a;
    TestServer b;
    Http httpA;
    Http httpB;

    @BeforeAll
    void start() throws Exception {
        nodes = TwoNodes.start(Map.of());
        redis = nodes.redis;
        a = nodes.a;
        b = nodes.b;
        httpA = nodes.httpA;
        httpB = nodes.httpB;
    }

    @AfterAll
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    static JsonNode publish(Http http, String topic, String msg) throws Exception {
        HttpResponse<String> response = http.post("publish", ItSupport.JSON.writeValueAsString(Map.of("topic", topic, "msg", msg)));
        assertEquals(200, response.statusCode(), response.body());
        return ItSupport.JSON.readTree(response.body());
    }

    static SseClient subscribe(TestServer node, String path, Map<String, String> headers) throws IOException {
        SseClient client = SseClient.open(node.base(), path, headers);
        assertEquals(200, client.status());
        assertEquals("ready", client.next(WAIT).type());
        return client;
    }

    @Test
    void aPublishOnOneNodeReachesSubscribersOnTheOther() throws Exception {
        try (SseClient onB = subscribe(b, "events/cross", Map.of())) {
            JsonNode answer = publish(httpA, "cross", "hello from A");
            assertEquals(0, answer.get("delivered").asInt(), "delivered counts node A's own subscribers only");
            SseParser.Event event = onB.next(WAIT);
            assertEquals("hello from A", event.data());
            assertEquals(answer.get("id").asText(), event.id());
            assertEquals(1, publish(httpB, "cross", "local").get("delivered").asInt());
        }
    }

    /** A topic's history is the cluster's, whichever node is asked; its subscribers are the node's own. */
    @Test
    void aTopicReportsTheClustersHistoryAndTheNodesSubscribers() throws Exception {
        try (SseClient onA = subscribe(a, "events/counted", Map.of())) {
            publish(httpA, "counted", "1");
            String last = publish(httpA, "counted", "2").get("id").asText();
            JsonNode fromB = ItSupport.JSON.readTree(httpB.get("topics/counted").body());
            assertEquals(0, fromB.get("subscribers").asInt(), "node B has no subscriber of its own");
            assertEquals(last, fromB.get("lastEventId").asText());
            assertEquals(2, fromB.get("retained").asInt());
            assertEquals(1, ItSupport.JSON.readTree(httpA.get("topics/counted").body()).get("subscribers").asInt());
        }
        assertEquals(404, httpB.get("topics/never-used").statusCode());
    }

    @Test
    void everyNodeSeesOneOrderUnderConcurrentPublishersOnBothNodes() throws Exception {
        oneOrderUnderConcurrentPublishers(nodes, List.of("order"), 100);
    }

    /**
     * Four publishers, two on each node, each on a topic of {@code topics} in turn, and a
     * subscriber of all of them on each node: both receive the same events in the same order.
     */
    static void oneOrderUnderConcurrentPublishers(TwoNodes nodes, List<String> topics, int perPublisher) throws Exception {
        String path = topics.size() == 1 ? "events/" + topics.get(0)
                : "events?" + String.join("&", topics.stream().map(t -> "topic=" + t).toList());
        try (SseClient onA = subscribe(nodes.a, path, Map.of()); SseClient onB = subscribe(nodes.b, path, Map.of())) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                Http http = p % 2 == 0 ? nodes.httpA : nodes.httpB;
                String topic = topics.get(p / 2 % topics.size());
                int id = p;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perPublisher; i++) {
                        publish(http, topic, id + ":" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            List<SseParser.Event> seenA = onA.next(4 * perPublisher, WAIT);
            List<SseParser.Event> seenB = onB.next(4 * perPublisher, WAIT);
            assertEquals(seenA, seenB, "both nodes deliver the same events in the same order");
            long previous = 0;
            for (SseParser.Event e : seenA) {
                long seq = Long.parseLong(e.id().substring(e.id().indexOf('-') + 1));
                assertTrue(seq > previous, "ids strictly increase");
                previous = seq;
            }
        }
    }

    @Test
    void aClientResumesOnTheOtherNodeWithNothingLostOrRepeated() throws Exception {
        resumeOnTheOtherNode(nodes);
    }

    static void resumeOnTheOtherNode(TwoNodes nodes) throws Exception {
        String last;
        try (SseClient onA = subscribe(nodes.a, "events/move", Map.of())) {
            publish(nodes.httpA, "move", "1");
            publish(nodes.httpB, "move", "2");
            List<SseParser.Event> got = onA.next(2, WAIT);
            last = got.get(1).id();
        }
        publish(nodes.httpA, "move", "3");
        publish(nodes.httpB, "move", "4");
        try (SseClient onB = subscribe(nodes.b, "events/move", Map.of("Last-Event-ID", last))) {
            assertEquals(last, onB.header("Last-Event-ID"));
            assertEquals(List.of("3", "4"), onB.next(2, WAIT).stream().map(SseParser.Event::data).toList());
            publish(nodes.httpA, "move", "5");
            assertEquals("5", onB.next(WAIT).data());
        }
    }

    @Test
    void aResetWhenRedisNoLongerHoldsTheGap() throws Exception {
        String first = publish(httpA, "gone", "0").get("id").asText();
        List<String> ids = new ArrayList<>();
        for (int batch = 0; batch < 11; batch++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < (batch < 10 ? 100 : 25); i++) {
                body.append(i == 0 ? "" : ",").append("{\"topic\":\"gone\",\"msg\":\"").append(batch * 100 + i).append("\"}");
            }
            HttpResponse<String> response = (batch % 2 == 0 ? httpA : httpB).post("publish", body.append(']').toString());
            assertEquals(200, response.statusCode(), response.body());
            ItSupport.JSON.readTree(response.body()).forEach(answer -> ids.add(answer.get("id").asText()));
        }
        try (SseClient onB = subscribe(b, "events/gone", Map.of("Last-Event-ID", first))) {
            SseParser.Event reset = onB.next(WAIT);
            assertEquals("reset", reset.type());
            JsonNode data = ItSupport.JSON.readTree(reset.data());
            assertEquals(first, data.get("lastEventId").asText());
            assertEquals(ids.get(25), data.get("oldestAvailable").asText(), "history keeps the newest 1000");
            assertEquals(ids.subList(25, 1025), onB.next(1000, WAIT).stream().map(SseParser.Event::id).toList());
        }
    }

    /**
     * Publishes {@code <name>:<n>} on a topic through one node, one request at a time, until
     * stopped, each with the Idempotency-Key {@code <name>:<n>}; remembers which were
     * acknowledged (200), which refused (503: not published) and which left unknown (504). When
     * stopped it retries each unknown one with its key until it is acknowledged, as a careful
     * publisher does.
     */
    static final class Publisher implements AutoCloseable {
        final List<String> acknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> unknown = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile int acknowledgedAtRestart;
        private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Future<?> work;
        private final Http http;
        private final TestServer node;
        private final String topic;

        Publisher(Http http, TestServer node, String topic, String name) {
            this.http = http;
            this.node = node;
            this.topic = topic;
            work = thread.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    String msg = name + ":" + i;
                    HttpResponse<String> response = send(msg);
                    switch (response.statusCode()) {
                        case 200 -> acknowledged.add(msg);
                        case 503 -> refused.add(msg);
                        case 504 -> unknown.add(msg);
                        default -> throw new AssertionError(response.statusCode() + " " + response.body());
                    }
                    assertTrue(response.statusCode() == 200 || response.headers().firstValue("Content-Type").orElse("")
                            .startsWith("application/problem+json"), response.body());
                }
                return null;
            });
        }

        private HttpResponse<String> send(String msg) throws Exception {
            return keyed(http, node, topic + ":" + msg, "{\"topic\":\"" + topic + "\",\"msg\":\"" + msg + "\"}");
        }

        /** Stops after the request in flight, settles the unknown ones, and fails the test if the publisher did. */
        @Override
        public void close() throws Exception {
            running.set(false);
            try {
                work.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                thread.shutdownNow();
            }
            for (String msg : unknown) {
                HttpResponse<String> retry = send(msg);
                assertEquals(200, retry.statusCode(), retry.body());
                acknowledged.add(msg);
            }
        }
    }

    static boolean ready(Http http) {
        try {
            return http.get("readyz").statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Reads a stream up to the event whose data is {@code marker}: every event before it, and
     * whether a reset came among them.
     */
    static List<SseParser.Event> readUpTo(SseClient client, String marker) throws IOException {
        List<SseParser.Event> events = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SseParser.Event event = client.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event.data().equals(marker)) {
                return events;
            }
            events.add(event);
        }
    }

    /**
     * What a subscriber received equals what publishers were told was published: every
     * acknowledged event once, in the order of its ids, and none refused.
     */
    static void assertExactlyTheAcknowledged(List<SseParser.Event> received, List<Publisher> publishers) {
        List<SseParser.Event> events = received.stream().filter(e -> !"reset".equals(e.type())).toList();
        List<String> data = events.stream().map(SseParser.Event::data).toList();
        assertEquals(data.size(), new java.util.HashSet<>(data).size(), "no event arrives twice: " + data);
        java.util.Set<String> acknowledged = new java.util.HashSet<>();
        publishers.forEach(p -> acknowledged.addAll(p.acknowledged));
        java.util.Set<String> missing = new java.util.TreeSet<>(acknowledged);
        data.forEach(missing::remove);
        assertEquals(java.util.Set.of(), missing, "every acknowledged event arrives");
        java.util.Set<String> extra = new java.util.TreeSet<>(data);
        extra.removeAll(acknowledged);
        assertEquals(java.util.Set.of(), extra, "no event arrives that publishers were told was not published");
        for (int i = 1; i < events.size(); i++) {
            assertTrue(seq(events.get(i).id()) > seq(events.get(i - 1).id()), "ids go up: " + events);
        }
    }

    static long seq(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    /**
     * Redis is stopped and started again under publishers on both nodes: publishing answers 503
     * meanwhile and /readyz turns 503; when Redis is back each node replays the gap into its open
     * streams. No stream closes; every subscriber receives every acknowledged event exactly once,
     * in its publisher's order, and none that was refused.
     */
    @Test
    void aRedisRestartUnderPublishersOnBothNodesKeepsStreamsOpenAndLosesNothingAcknowledged() throws Exception {
        restartUnderPublishers("blip", false, ClusterIT::assertNothingLost);
    }

    /** No reset (nothing was lost), and exactly the acknowledged events. */
    static void assertNothingLost(List<SseParser.Event> received, List<Publisher> publishers) {
        assertEquals(0, received.stream().filter(e -> "reset".equals(e.type())).count(), "nothing was lost");
        assertExactlyTheAcknowledged(received, publishers);
    }

    /**
     * Redis restarts empty (no persistence): what it had is gone, and each stream is told so with
     * one reset, then goes on without closing. Nothing arrives twice or unacknowledged, and every
     * event acknowledged after Redis came back arrives after the reset.
     */
    @Test
    void aRedisThatRestartsEmptyIsAnnouncedWithOneResetOnOpenStreams() throws Exception {
        restartUnderPublishers("wiped", true, (received, publishers) -> {
                List<String> types = received.stream().map(e -> String.valueOf(e.type())).toList();
                assertEquals(1, types.stream().filter("reset"::equals).count(), "one reset: " + types);
                List<String> data = received.stream().filter(e -> !"reset".equals(e.type())).map(SseParser.Event::data).toList();
                // An event left unknown as Redis stopped, and retried after it forgot its keys, may
                // come twice: once before the reset, once after. Every other event comes once.
                List<String> settled = data.stream().filter(d -> publishers.stream().noneMatch(p -> p.unknown.contains(d))).toList();
                assertEquals(settled.size(), new java.util.HashSet<>(settled).size(), "no event arrives twice: " + data);
                java.util.Set<String> acknowledged = new java.util.HashSet<>();
                publishers.forEach(p -> acknowledged.addAll(p.acknowledged));
                assertTrue(acknowledged.containsAll(data), "no event arrives that publishers were told failed");
                List<String> afterReset = received.subList(types.indexOf("reset") + 1, received.size()).stream()
                        .map(SseParser.Event::data).toList();
                for (Publisher p : publishers) {
                    List<String> sinceRestart = p.acknowledged.subList(p.acknowledgedAtRestart, p.acknowledged.size());
                    assertTrue(afterReset.containsAll(sinceRestart), "every event acknowledged after the restart arrives");
                }
        });
    }

    /** What one subscriber's stream held up to {@code end}, judged against the publishers' answers. */
    interface Received {
        void check(List<SseParser.Event> received, List<Publisher> publishers) throws Exception;
    }

    /**
     * Subscribes on both nodes, then publishes on a topic through both while Redis is stopped and
     * started again (with its data forgotten if {@code empty}), checking 503s and /readyz on the
     * way; publishes {@code end} at last and checks what each subscriber received before it.
     */
    void restartUnderPublishers(String topic, boolean empty, Received check) throws Exception {
        restartUnderPublishers(nodes, redis, topic, empty, check);
    }

    /** As above, on any two nodes, stopping and starting {@code redis}: their Redis, or a shard of it. */
    static void restartUnderPublishers(TwoNodes nodes, RedisServer redis, String topic, boolean empty, Received check)
            throws Exception {
        try (SseClient onA = subscribe(nodes.a, "events/" + topic, Map.of());
             SseClient onB = subscribe(nodes.b, "events/" + topic, Map.of())) {
            List<Publisher> publishers = restartUnderPublishers(nodes, redis, topic, empty);
            for (SseClient client : List.of(onA, onB)) {
                check.check(readUpTo(client, "end"), publishers);
            }
        }
    }

    private static List<Publisher> restartUnderPublishers(TwoNodes nodes, RedisServer redis, String topic, boolean empty)
            throws Exception {
        Http httpA = nodes.httpA;
        Http httpB = nodes.httpB;
        TestServer a = nodes.a;
        TestServer b = nodes.b;
        List<Publisher> publishers = new ArrayList<>();
        try (Publisher viaA = new Publisher(httpA, a, topic, "A"); Publisher viaB = new Publisher(httpB, b, topic, "B")) {
            publishers.add(viaA);
            publishers.add(viaB);
            Await.until(WAIT, () -> viaA.acknowledged.size() >= 10 && viaB.acknowledged.size() >= 10, "publishes before the fault");

            redis.stopProcess();
            Await.until(WAIT, () -> !viaA.refused.isEmpty() && !viaB.refused.isEmpty(), "publishing to be refused while Redis is down");
            Await.until(WAIT, () -> !ready(httpA) && !ready(httpB), "both nodes to report the outage on /readyz");
            if (empty) {
                redis.forgetData();
            }
            viaA.acknowledgedAtRestart = viaA.acknowledged.size();
            viaB.acknowledgedAtRestart = viaB.acknowledged.size();
            redis.startProcess();
            Await.until(Duration.ofSeconds(30), () -> viaA.acknowledged.size() > viaA.acknowledgedAtRestart + 10
                    && viaB.acknowledged.size() > viaB.acknowledgedAtRestart + 10, "publishing to work again on both nodes");
            Await.until(WAIT, () -> ready(httpA) && ready(httpB), "both nodes to be ready again");
        }
        publish(httpA, topic, "end");
        return publishers;
    }

    /**
     * Redis freezes ({@code SIGSTOP}) with its connections open, so nothing but silence tells the
     * nodes: their pings go unanswered and /readyz turns 503 within seconds. When it resumes
     * ({@code SIGCONT}) the nodes catch up, and subscribers on both get every acknowledged event
     * exactly once, without a reset (nothing was lost) and without their streams closing. A publish
     * answered 503 while Redis was frozen was not published; its retry with the same
     * Idempotency-Key is published once.
     */
    @Test
    void aFrozenRedisIsAnOutageWithinSecondsAndCostsSubscribersNothing() throws Exception {
        try (SseClient onA = subscribe(a, "events/frozen", Map.of()); SseClient onB = subscribe(b, "events/frozen", Map.of())) {
            List<Publisher> publishers = new ArrayList<>();
            HttpResponse<String> duringFreeze;
            try (Publisher viaA = new Publisher(httpA, a, "frozen", "A")) {
                publishers.add(viaA);
                Await.until(WAIT, () -> viaA.acknowledged.size() >= 10, "publishes before the freeze");
                redis.pause();
                try {
                    Await.until(Duration.ofSeconds(8), () -> !ready(httpA) && !ready(httpB),
                            "both nodes to notice within seconds that Redis answers nothing");
                    duringFreeze = httpB.send(java.net.http.HttpRequest.newBuilder(b.base().resolve("publish"))
                            .header("Idempotency-Key", "frozen-1")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"topic\":\"frozen\",\"msg\":\"keyed\"}")));
                } finally {
                    redis.resume();
                }
                Await.until(WAIT, () -> ready(httpA) && ready(httpB), "both nodes to be ready again");
                int acked = viaA.acknowledged.size();
                Await.until(WAIT, () -> viaA.acknowledged.size() > acked + 10, "publishing to go on");
            }
            HttpResponse<String> retry = httpA.send(java.net.http.HttpRequest.newBuilder(a.base().resolve("publish"))
                    .header("Idempotency-Key", "frozen-1")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"topic\":\"frozen\",\"msg\":\"keyed\"}")));
            assertEquals(200, retry.statusCode(), retry.body());
            if (duringFreeze.statusCode() == 200) {
                assertEquals(ItSupport.JSON.readTree(duringFreeze.body()).get("id"), ItSupport.JSON.readTree(retry.body()).get("id"),
                        "a retry gets the id of the publish that went through");
            } else {
                assertTrue(duringFreeze.statusCode() == 503 || duringFreeze.statusCode() == 504, duringFreeze.body());
            }
            publish(httpA, "frozen", "end");
            for (SseClient client : List.of(onA, onB)) {
                List<SseParser.Event> received = new ArrayList<>(readUpTo(client, "end"));
                assertEquals(0, received.stream().filter(e -> "reset".equals(e.type())).count(), "nothing was lost");
                assertEquals(1, received.stream().filter(e -> e.data().equals("keyed")).count(), "the keyed publish arrives once");
                received.removeIf(e -> e.data().equals("keyed"));
                assertExactlyTheAcknowledged(received, publishers);
            }
        }
    }

    /**
     * Redis comes back behind what the nodes saw (as after a failover to a replica that lagged):
     * its counter would issue ids the clients already hold. The nodes start a new epoch, tell their
     * streams with a reset, and the next ids are above every earlier one, so no client sees an id
     * twice or going back.
     */
    @Test
    void aRedisThatComesBackBehindCannotIssueAnIdTwice() throws Exception {
        try (SseClient onA = subscribe(a, "events/lag", Map.of()); SseClient onB = subscribe(b, "events/lag", Map.of())) {
            String last = null;
            for (int i = 0; i < 5; i++) {
                last = publish(httpA, "lag", "before " + i).get("id").asText();
            }
            for (SseClient client : List.of(onA, onB)) {
                assertEquals(last, client.next(5, WAIT).get(4).id());
            }
            long seen = Long.parseLong(last.substring(last.lastIndexOf('-') + 1));
            redis.cli("SET", "{ssehub}:seq", Long.toString(seen - 3)); // the replica had not yet got the last 3
            redis.pause(); // an outage, so that both nodes look at Redis again
            try {
                Await.until(Duration.ofSeconds(8), () -> !ready(httpA) && !ready(httpB), "both nodes to notice the outage");
            } finally {
                redis.resume();
            }
            Await.until(WAIT, () -> ready(httpA) && ready(httpB), "both nodes to be ready again");
            String next = publish(httpB, "lag", "after").get("id").asText();
            String epochBefore = last.substring(0, last.lastIndexOf('-'));
            assertTrue(!next.startsWith(epochBefore + "-"), "a new epoch: " + next);
            assertTrue(Long.parseLong(next.substring(next.lastIndexOf('-') + 1)) > seen, "ids go on upwards: " + next);
            for (SseClient client : List.of(onA, onB)) {
                SseParser.Event reset = client.next(WAIT);
                assertEquals("reset", reset.type());
                assertEquals(last, ItSupport.JSON.readTree(reset.data()).get("lastEventId").asText());
                assertEquals("after", client.next(WAIT).data());
            }
            try (SseClient resumed = subscribe(a, "events/lag", Map.of("Last-Event-ID", last))) {
                assertEquals("reset", resumed.next(WAIT).type(), "an id of the old epoch is not confused with a new one");
            }
        }
    }

    /**
     * Redis fails over: the master stops, a Sentinel (started by the test, with a replica) promotes
     * the replica, and the nodes find it through the Sentinel. Streams on both nodes stay open;
     * every event acknowledged after the failover reaches both once, none refused arrives, and ids
     * only go up (an event the replica had not yet received is announced with a reset, never
     * reissued).
     */
    @Test
    void aFailoverToAReplicaKeepsStreamsOpenAndIdsGoingUp() throws Exception {
        try (RedisServer master = RedisServer.start(); RedisServer replica = RedisServer.replicaOf(master);
             RedisServer sentinel = RedisServer.sentinelOf(master, "ssehub", 1000)) {
            String replicaPort = replica.uri().replaceAll(".*:(\\d+)/0$", "$1");
            Await.until(WAIT, () -> cli(sentinel, "SENTINEL", "replicas", "ssehub").contains(replicaPort),
                    "the Sentinel to know the replica");
            failoverUnderAPublisher(sentinel.sentinelUri("ssehub"), master::stopProcess,
                    () -> cli(sentinel, "SENTINEL", "get-master-addr-by-name", "ssehub").contains(replicaPort));
        }
    }

    /** What makes Redis fail over: stopping its master. */
    interface Failover {
        void start() throws Exception;
    }

    /**
     * Two nodes on the Redis at {@code uri}, a subscriber on each and a publisher on one, while
     * {@code failover} stops the master and {@code promoted} says a replica has taken its place:
     * both streams stay open, every event acknowledged after the failover reaches both once, none
     * refused arrives, and ids only go up.
     */
    static void failoverUnderAPublisher(String uri, Failover failover, java.util.function.BooleanSupplier promoted)
            throws Exception {
        Map<String, String> params = Map.of("ssehub.tick.interval", "0", "ssehub.keepalive.interval", "300ms",
                "ssehub.subscriber.queue", "1024", "ssehub.history.size", "1000", "ssehub.backplane", "redis",
                "ssehub.redis.uri", uri);
        try (TestServer one = JettyServer.FACTORY.start(params); TestServer two = JettyServer.FACTORY.start(params);
             SseClient onOne = subscribe(one, "events/failover", Map.of());
             SseClient onTwo = subscribe(two, "events/failover", Map.of())) {
            List<Publisher> publishers = new ArrayList<>();
            int ackedAtFailover;
            try (Publisher publisher = new Publisher(new Http(one.base()), one, "failover", "P")) {
                publishers.add(publisher);
                Await.until(WAIT, () -> publisher.acknowledged.size() >= 10, "publishes before the failover");
                failover.start();
                ackedAtFailover = publisher.acknowledged.size();
                Await.until(Duration.ofSeconds(30), promoted, "a replica to be promoted");
                Await.until(Duration.ofSeconds(30), () -> publisher.acknowledged.size() > ackedAtFailover + 10,
                        "publishing to work again through the new master");
            }
            Http httpTwo = new Http(two.base());
            Await.until(Duration.ofSeconds(30), () -> ready(httpTwo), "the other node to find the new master too");
            publish(httpTwo, "failover", "end");
            Publisher publisher = publishers.get(0);
            List<String> sinceFailover = publisher.acknowledged.subList(ackedAtFailover, publisher.acknowledged.size());
            for (SseClient client : List.of(onOne, onTwo)) {
                List<SseParser.Event> received = readUpTo(client, "end");
                List<SseParser.Event> events = received.stream().filter(e -> !"reset".equals(e.type())).toList();
                List<String> data = events.stream().map(SseParser.Event::data).toList();
                assertTrue(data.containsAll(sinceFailover), "every event acknowledged after the failover arrives");
                assertTrue(publisher.acknowledged.containsAll(data), "no event arrives that was refused");
                assertEquals(data.size(), new java.util.HashSet<>(data).size(), "no event arrives twice: " + data);
                for (int i = 1; i < events.size(); i++) {
                    assertTrue(seq(events.get(i).id()) > seq(events.get(i - 1).id()), "ids go up: " + events);
                }
            }
        }
    }

    static String cli(RedisServer server, String... command) {
        try {
            return server.cli(command);
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** A retried publish with the same Idempotency-Key is one publish, on whichever node it lands. */
    @Test
    void aRetryWithTheSameIdempotencyKeyCannotPublishTwice() throws Exception {
        retryWithTheSameKey(nodes);
    }

    static void retryWithTheSameKey(TwoNodes nodes) throws Exception {
        try (SseClient onA = subscribe(nodes.a, "events/once", Map.of())) {
            HttpResponse<String> first = keyed(nodes.httpA, nodes.a, "order-17", "[{\"topic\":\"once\",\"msg\":\"1\"},{\"topic\":\"once\",\"msg\":\"2\"}]");
            HttpResponse<String> again = keyed(nodes.httpB, nodes.b, "order-17", "[{\"topic\":\"once\",\"msg\":\"1\"},{\"topic\":\"once\",\"msg\":\"2\"}]");
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(200, again.statusCode(), again.body());
            List<String> ids = new ArrayList<>();
            ItSupport.JSON.readTree(first.body()).forEach(r -> ids.add(r.get("id").asText()));
            List<String> repeated = new ArrayList<>();
            ItSupport.JSON.readTree(again.body()).forEach(r -> repeated.add(r.get("id").asText()));
            assertEquals(ids, repeated, "the retry gets the original ids");

            HttpResponse<String> otherBody = keyed(nodes.httpA, nodes.a, "order-17", "{\"topic\":\"once\",\"msg\":\"3\"}");
            assertEquals(422, otherBody.statusCode(), otherBody.body());
            assertTrue(otherBody.body().contains("idempotency-key-reused"), otherBody.body());
            HttpResponse<String> badKey = keyed(nodes.httpA, nodes.a, "with space", "{\"topic\":\"once\",\"msg\":\"4\"}");
            assertEquals(400, badKey.statusCode(), badKey.body());

            publish(nodes.httpB, "once", "end");
            assertEquals(List.of("1", "2"), readUpTo(onA, "end").stream().map(SseParser.Event::data).toList());
        }
    }

    static HttpResponse<String> keyed(Http http, TestServer node, String key, String body) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(node.base().resolve("publish"))
                .header("Idempotency-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Redis holds only what the limits allow, whatever publishers send: the cluster's topic cap
     * refuses a topic too many with 503 and publishes nothing of its batch, and the byte budget
     * forgets the oldest events (a resume from one of them gets a reset), from the cross-topic index
     * too. A resume of several topics reads more than one page of history and still gets every
     * event once, in order.
     */
    @Test
    void publishersCannotGrowRedisPastTheHistoryBudgetOrTheTopicCap() throws Exception {
        try (RedisServer own = RedisServer.start();
             TestServer node = JettyServer.FACTORY.start(Map.of("ssehub.tick.interval", "0",
                     "ssehub.history.size", "1000", "ssehub.history.maxBytes", "64KiB", "ssehub.topics.max", "4",
                     "ssehub.subscriber.queue", "2048", "ssehub.backplane", "redis", "ssehub.redis.uri", own.uri()))) {
            Http http = new Http(node.base());
            List<String> ids = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String topic : List.of("p1", "p2", "p3")) {
                    StringBuilder batch = new StringBuilder("[");
                    for (int i = 0; i < 100; i++) {
                        batch.append(i == 0 ? "" : ",").append("{\"topic\":\"").append(topic).append("\",\"msg\":\"")
                                .append(topic).append('.').append(round * 100 + i).append("\"}");
                    }
                    HttpResponse<String> response = http.post("publish", batch.append(']').toString());
                    assertEquals(200, response.statusCode(), response.body());
                    ItSupport.JSON.readTree(response.body()).forEach(r -> ids.add(r.get("id").asText()));
                }
            }
            try (SseClient all = SseClient.open(node.base(), "events?topic=p1&topic=p2&topic=p3&lastEventId=earliest", Map.of())) {
                assertEquals("ready", all.next(WAIT).type());
                assertEquals(ids, all.next(900, WAIT).stream().map(SseParser.Event::id).toList(),
                        "900 events over two pages per topic, each once, in publish order");
            }

            publish(http, "p4", "the fourth topic fits");
            HttpResponse<String> fifth = http.post("publish", "[{\"topic\":\"p1\",\"msg\":\"x\"},{\"topic\":\"p5\",\"msg\":\"y\"}]");
            assertEquals(503, fifth.statusCode(), fifth.body());
            assertTrue(fifth.body().contains("topic-limit"), fifth.body());
            assertEquals("0", own.cli("EXISTS", "{ssehub}:s:p5"), "nothing of a refused batch is kept");

            String big = "x".repeat(2000);
            for (int i = 0; i < 100; i++) {
                publish(http, "p4", big);
            }
            long bytes = Long.parseLong(own.cli("GET", "{ssehub}:bytes"));
            assertTrue(bytes <= 64 * 1024, "Redis keeps at most the history budget, kept " + bytes);
            long retained = 0;
            for (String topic : List.of("p1", "p2", "p3", "p4")) {
                retained += Long.parseLong(own.cli("XLEN", "{ssehub}:s:" + topic));
            }
            assertEquals(retained, Long.parseLong(own.cli("XLEN", "{ssehub}:x")),
                    "the cross-topic index holds one entry per retained event, and no more");
            try (SseClient old = SseClient.open(node.base(), "events/p1", Map.of("Last-Event-ID", ids.get(0)))) {
                assertEquals("ready", old.next(WAIT).type());
                assertEquals("reset", old.next(WAIT).type(), "the oldest events went first");
            }
        }
    }

    /**
     * A resume of 32 topics full to their history limits (about 19 MiB in Redis) reads history in
     * pages, never in one reply: Redis is set to drop any connection whose reply passes 3 MiB
     * ({@code client-output-buffer-limit}, checked below on a reply of 4 MiB), and the node still
     * hands every retained event to the client once, in publish order, holding about one page of it
     * at a time ({@code ssehub_resume_held_peak_bytes}, what a small heap would need). The pages are counted by
     * Redis's script calls during the resume (with those of any attempt refused with 503 because a
     * page outlasted the command timeout on a loaded machine, which the client makes again).
     */
    @Test
    void aResumeOf32FullTopicsReadsHistoryInPagesUnderRedissReplyCap() throws Exception {
        int topics = 32;
        int perTopic = 300;
        String data = "x".repeat(2000);
        try (RedisServer own = RedisServer.start();
             TestServer node = JettyServer.FACTORY.start(Map.of("ssehub.tick.interval", "0",
                     "ssehub.history.size", Integer.toString(perTopic), "ssehub.history.maxBytes", "64MiB",
                     "ssehub.topics.max", "64", "ssehub.subscriber.queue", "16384", "ssehub.publish.maxBody", "1MiB",
                     "ssehub.backplane", "redis", "ssehub.redis.uri", own.uri()))) {
            Http http = new Http(node.base());
            List<String> ids = new ArrayList<>();
            StringBuilder query = new StringBuilder("events?lastEventId=earliest");
            for (int t = 1; t <= topics; t++) {
                query.append("&topic=full").append(t);
                for (int from = 0; from < perTopic; from += 100) {
                    StringBuilder batch = new StringBuilder("[");
                    for (int i = from; i < from + 100; i++) {
                        batch.append(i == from ? "" : ",").append("{\"topic\":\"full").append(t).append("\",\"msg\":\"")
                                .append(i).append(data).append("\"}");
                    }
                    HttpResponse<String> response = http.post("publish", batch.append(']').toString());
                    assertEquals(200, response.statusCode(), response.body());
                    ItSupport.JSON.readTree(response.body()).forEach(r -> ids.add(r.get("id").asText()));
                }
            }
            long retained = Long.parseLong(own.cli("GET", "{ssehub}:bytes"));
            assertTrue(retained > 18L << 20, "the topics are full: " + retained + " bytes");
            own.cli("CONFIG", "SET", "client-output-buffer-limit", "normal 3mb 0 0");
            assertTrue(own.cli("EVAL", "return string.rep('x', 4194304)", "0").length() < 4194304,
                    "Redis drops a connection whose reply passes the cap");
            long scriptsBefore = scriptCalls(own);
            // A page Redis does not answer within the command timeout (a loaded machine) refuses
            // the resume with 503; the client tries again, as an EventSource does.
            java.util.concurrent.atomic.AtomicReference<SseClient> answered = new java.util.concurrent.atomic.AtomicReference<>();
            Await.until(Duration.ofSeconds(60), () -> {
                try {
                    SseClient attempt = SseClient.open(node.base(), query.toString(), Map.of());
                    if (attempt.status() == 200) {
                        answered.set(attempt);
                        return true;
                    }
                    attempt.close();
                    return false;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "the resume to be answered");
            try (SseClient all = answered.get()) {
                assertEquals("ready", all.next(Duration.ofSeconds(60)).type());
                List<String> received = new ArrayList<>(ids.size());
                for (SseParser.Event event : all.next(ids.size(), Duration.ofSeconds(60))) {
                    received.add(event.id());
                }
                assertEquals(ids, received, "every retained event once, in publish order");
            }
            long pages = scriptCalls(own) - scriptsBefore;
            assertTrue(pages >= retained / (1 << 20), "at most about 1 MiB a page: " + pages + " pages for " + retained + " bytes");
            long held = RedisResumeIT.metric(http, "ssehub_resume_held_peak_bytes");
            assertTrue(held > 0 && held <= RedisResumeIT.PER_STREAM_BOUND, "the node held about a page of the "
                    + retained + " bytes at a time, as a small heap could: " + held + " bytes at most");
        }
    }

    /** How many scripts Redis has run, by digest or whole. */
    static long scriptCalls(RedisServer redis) throws Exception {
        long calls = 0;
        for (String line : redis.cli("INFO", "commandstats").split("\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                String count = line.substring(line.indexOf("calls=") + 6);
                calls += Long.parseLong(count.substring(0, count.indexOf(',')));
            }
        }
        return calls;
    }

    @Test
    void undeployingARedisNodeLeavesNoThreadOrLeakWarning() throws Exception {
        try (LeakWatch leaks = new LeakWatch();
             TestServer node = TomcatServer.FACTORY.start(Map.of("ssehub.tick.interval", "0",
                     "ssehub.backplane", "redis", "ssehub.redis.uri", redis.uri()))) {
            try (SseClient client = subscribe(node, "events/undeploy", Map.of())) {
                publish(new Http(node.base()), "undeploy", "x");
                assertEquals("x", client.next(WAIT).data());
                node.undeploy();
                client.readToEnd(WAIT);
            }
            // Tomcat checks, as it stops the application, for threads and ThreadLocals it left behind.
            assertEquals(List.of(), leaks.warnings());
        }
    }

}
