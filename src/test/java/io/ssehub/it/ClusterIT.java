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

    RedisServer redis;
    TestServer a;
    TestServer b;
    Http httpA;
    Http httpB;

    @BeforeAll
    void start() throws Exception {
        redis = RedisServer.start();
        Map<String, String> params = Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.keepalive.interval", "300ms",
                "ssehub.subscriber.queue", "1024",
                "ssehub.history.size", "100",
                "ssehub.backplane", "redis",
                "ssehub.redis.uri", redis.uri());
        a = JettyServer.FACTORY.start(params);
        b = TomcatServer.FACTORY.start(params);
        httpA = new Http(a.base());
        httpB = new Http(b.base());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{a, b, redis}) {
            if (c != null) {
                c.close();
            }
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

    @Test
    void everyNodeSeesOneOrderUnderConcurrentPublishersOnBothNodes() throws Exception {
        try (SseClient onA = subscribe(a, "events/order", Map.of()); SseClient onB = subscribe(b, "events/order", Map.of())) {
            int perPublisher = 100;
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                Http http = p % 2 == 0 ? httpA : httpB;
                int id = p;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perPublisher; i++) {
                        publish(http, "order", id + ":" + i);
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
        String last;
        try (SseClient onA = subscribe(a, "events/move", Map.of())) {
            publish(httpA, "move", "1");
            publish(httpB, "move", "2");
            List<SseParser.Event> got = onA.next(2, WAIT);
            last = got.get(1).id();
        }
        publish(httpA, "move", "3");
        publish(httpB, "move", "4");
        try (SseClient onB = subscribe(b, "events/move", Map.of("Last-Event-ID", last))) {
            assertEquals(last, onB.header("Last-Event-ID"));
            assertEquals(List.of("3", "4"), onB.next(2, WAIT).stream().map(SseParser.Event::data).toList());
            publish(httpA, "move", "5");
            assertEquals("5", onB.next(WAIT).data());
        }
    }

    @Test
    void aResetWhenRedisNoLongerHoldsTheGap() throws Exception {
        String first = publish(httpA, "gone", "0").get("id").asText();
        List<String> ids = new ArrayList<>();
        for (int batch = 0; batch < 5; batch++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 25; i++) {
                body.append(i == 0 ? "" : ",").append("{\"topic\":\"gone\",\"msg\":\"").append(batch * 25 + i).append("\"}");
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
            assertEquals(ids.get(25), data.get("oldestAvailable").asText());
            assertEquals(ids.subList(25, 125), onB.next(100, WAIT).stream().map(SseParser.Event::id).toList());
        }
    }

    /**
     * Redis goes away mid-run while a publisher keeps publishing on node A: publishing answers 503,
     * the open stream on node B stays open with its keep-alives. Redis comes back (empty): the nodes
     * reconnect by themselves, node B closes its stream so the client resumes by id (and learns of
     * the lost history with a reset), and every publish that was acknowledged reached the client.
     */
    @Test
    void survivesARedisRestartWithoutLosingAnAcknowledgedEvent() throws Exception {
        List<String> acknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<SseParser.Event> received = new ArrayList<>();
        SseClient onB = subscribe(b, "events/fault", Map.of());
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        Future<?> publishes = publisher.submit(() -> {
            for (int i = 0; publishing.get(); i++) {
                HttpResponse<String> response = httpA.post("publish", "{\"topic\":\"fault\",\"msg\":\"" + i + "\"}");
                if (response.statusCode() == 200) {
                    acknowledged.add(Integer.toString(i));
                } else {
                    assertEquals(503, response.statusCode(), response.body());
                    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
                    refused.incrementAndGet();
                }
            }
            return null;
        });
        try {
            Await.until(WAIT, () -> acknowledged.size() >= 20, "some publishes before the fault");
            received.addAll(onB.next(20, WAIT));

            redis.stopProcess();
            Await.until(WAIT, () -> refused.get() > 0, "publishing to be refused while Redis is down");
            int comments = onB.comments();
            onB.awaitComments(comments + 2, WAIT); // the stream is alive and kept alive

            redis.startProcess();
            int refusedSoFar = refused.get();
            int ackedSoFar = acknowledged.size();
            Await.until(Duration.ofSeconds(30), () -> acknowledged.size() > ackedSoFar + 5, "publishing to work again");
            received.addAll(onB.readToEnd(WAIT)); // node B closed the stream: it may have missed events
            String last = received.get(received.size() - 1).id();
            try (SseClient again = SseClient.open(b.base(), "events/fault", Map.of("Last-Event-ID", last))) {
                assertEquals("ready", again.next(WAIT).type());
                assertEquals("reset", again.next(WAIT).type(), "Redis restarted empty: the client is told");
                publishing.set(false);
                publishes.get();
                java.util.Set<String> seen = new java.util.HashSet<>();
                received.forEach(e -> seen.add(e.data()));
                Await.until(WAIT, () -> {
                    try {
                        while (!seen.containsAll(acknowledged)) {
                            seen.add(again.next(Duration.ofMillis(200)).data());
                        }
                        return true;
                    } catch (IOException timeout) {
                        return false;
                    }
                }, "every acknowledged event to arrive");
                assertTrue(refused.get() >= refusedSoFar);
            }
        } finally {
            publishing.set(false);
            publisher.shutdownNow();
            onB.close();
        }
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
