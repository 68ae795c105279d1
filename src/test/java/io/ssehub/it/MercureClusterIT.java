package io.ssehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssehub.testing.Await;
import io.ssehub.testing.Http;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import io.ssehub.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ssehub.it.MercureIT.form;
import static io.ssehub.it.MercureIT.query;
import static io.ssehub.it.MercureIT.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Mercure protocol on two nodes (Jetty and Tomcat) sharing one real redis-server started on a
 * free loopback port: what is published on one node reaches the other's subscribers, private
 * updates only those authorised, on the live and the replay paths, and a Redis restart costs
 * a Mercure stream nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MercureClusterIT {

    static final Duration WAIT = ClusterIT.WAIT;

    TwoNodes nodes;

    @BeforeAll
    void start() throws Exception {
        nodes = TwoNodes.start(Map.of(
                "ssehub.mercure.publisherJwtKey", MercureIT.KEY,
                "ssehub.publish.auth", "jwt",
                "ssehub.mercure.subscriptions", "true"));
    }

    @AfterAll
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    HttpResponse<String> publish(Http http, String body) throws Exception {
        TestServer node = http == nodes.httpA ? nodes.a : nodes.b;
        return http.send(HttpRequest.newBuilder(node.base().resolve(MercureIT.HUB))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + MercureIT.publisher())
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    String publishOk(Http http, Object... pairs) throws Exception {
        HttpResponse<String> response = publish(http, form(pairs));
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    static SseClient mercure(TestServer node, String path, Map<String, String> headers) throws IOException {
        SseClient client = SseClient.open(node.base(), path, headers);
        assertEquals(200, client.status(), "subscribe " + path);
        return client;
    }

    static SseClient mercure(TestServer node, String path) throws IOException {
        return mercure(node, path, Map.of());
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static List<String> ids(SseClient client, int count) throws IOException {
        return client.next(count, WAIT).stream().map(SseParser.Event::id).toList();
    }

    @Test
    void aMercurePublishOnOneNodeReachesExactTemplateAndSeedSubscribersOnTheOther() throws Exception {
        try (SseClient exact = mercure(nodes.b, query("https://example.com/books/1"));
             SseClient template = mercure(nodes.b, query("https://example.com/books/{id}"));
             SseClient all = mercure(nodes.b, query("*"));
             SseClient alternate = mercure(nodes.b, query("https://example.com/shelves/9"));
             SseClient seed = ClusterIT.subscribe(nodes.b, "events/mercure-news", Map.of())) {
            String one = publishOk(nodes.httpA, "topic", "https://example.com/books/1", "data", "{\"title\":\"Dune\"}",
                    "type", "book", "retry", "3000");
            String two = publishOk(nodes.httpA, "topic", "https://example.com/books/2", "topic", "https://example.com/shelves/9",
                    "data", "two");
            String news = publishOk(nodes.httpA, "topic", "mercure-news", "data", "for both front ends");
            assertEquals(new SseParser.Event(one, "book", "{\"title\":\"Dune\"}", 3000L), exact.next(WAIT));
            assertEquals(List.of(one, two), ids(template, 2));
            assertEquals(List.of(one, two, news), ids(all, 3), "each update once, in the cluster's order");
            assertEquals(List.of(two), ids(alternate, 1), "an alternate topic travels through Redis");
            SseParser.Event toSeed = seed.next(WAIT);
            assertEquals(news, toSeed.id());
            assertEquals("for both front ends", toSeed.data());
        }
    }

    @Test
    void aPrivateUpdateReachesOnlyTheAuthorisedSubscribersLiveAndOnReplay() throws Exception {
        String topic = "secret-1";
        String allowed = token(Map.of("subscribe", List.of("secret-{id}")), null);
        String start;
        String secret;
        String open;
        try (SseClient anonymous = mercure(nodes.b, query(topic));
             SseClient authorised = mercure(nodes.b, query(topic), bearer(allowed));
             SseClient authorisedTemplate = mercure(nodes.b, query("secret-{id}"), bearer(allowed));
             SseClient anonymousAll = mercure(nodes.b, query("*"));
             SseClient seed = ClusterIT.subscribe(nodes.b, "events/" + topic, Map.of())) {
            start = publishOk(nodes.httpA, "topic", topic, "data", "before");
            secret = publishOk(nodes.httpA, "topic", topic, "data", "secret", "private", "on");
            open = publishOk(nodes.httpA, "topic", topic, "data", "public");
            assertEquals(List.of(start, open), ids(anonymous, 2));
            assertEquals(List.of(start, open), ids(seed, 2));
            assertEquals(List.of(start, secret, open), ids(authorised, 3));
            assertEquals(List.of(start, secret, open), ids(authorisedTemplate, 3));
            List<String> seenByAll = ids(anonymousAll, 2);
            assertEquals(List.of(start, open), seenByAll, "a selector of everything gets no private update");
        }
        // The replay path, read from Redis by the other node, decides the same.
        try (SseClient anonymous = mercure(nodes.a, query(topic), Map.of("Last-Event-ID", start));
             SseClient authorised = mercure(nodes.a, query("secret-{id}"), bearer(allowed));
             SseClient anonymousTemplate = mercure(nodes.a, query("secret-{id}") + "&lastEventID=" + start)) {
            assertEquals(List.of(open), ids(anonymous, 1));
            assertEquals(List.of(open), ids(anonymousTemplate, 1));
            String after = publishOk(nodes.httpB, "topic", topic, "data", "after");
            assertEquals(List.of(after), ids(authorised, 1), "a stream without Last-Event-ID starts live");
        }
        try (SseClient authorised = mercure(nodes.a, query("secret-{id}") + "&lastEventID=" + start,
                bearer(allowed))) {
            assertEquals(List.of(secret, open), ids(authorised, 2));
        }
    }

    @Test
    void aClientResumesOnTheOtherNodeByExactTopicTemplateAndFromTheEarliest() throws Exception {
        String topic = "https://example.com/moving/1";
        String template = "https://example.com/moving/{id}";
        String first;
        try (SseClient onA = mercure(nodes.a, query(template))) {
            first = publishOk(nodes.httpA, "topic", topic, "data", "1");
            assertEquals(List.of(first), ids(onA, 1));
        }
        String second = publishOk(nodes.httpA, "topic", topic, "data", "2");
        String third = publishOk(nodes.httpB, "topic", "https://example.com/moving/2", "data", "3");
        try (SseClient exact = mercure(nodes.b, query(topic), Map.of("Last-Event-ID", first));
             SseClient byTemplate = mercure(nodes.b, query(template) + "&lastEventID=" + first);
             SseClient earliest = mercure(nodes.b, query(template) + "&lastEventID=earliest")) {
            assertEquals(first, exact.header("Last-Event-ID"));
            assertEquals(List.of(second), ids(exact, 1));
            assertEquals(List.of(second, third), ids(byTemplate, 2));
            assertEquals(List.of(first, second, third), ids(earliest, 3));
            String fourth = publishOk(nodes.httpA, "topic", topic, "data", "4");
            assertEquals(List.of(fourth), ids(exact, 1));
            assertEquals(List.of(fourth), ids(byTemplate, 1));
        }
    }

    /** An id the cluster's history cannot place (another epoch's, or none of its own) starts a selector stream with a reset. */
    @Test
    void aTemplateResumeFromAnIdHistoryCannotPlaceStartsWithAReset() throws Exception {
        String one = publishOk(nodes.httpA, "topic", "https://example.com/lost/1", "data", "1");
        String two = publishOk(nodes.httpB, "topic", "https://example.com/lost/2", "data", "2");
        for (String unplaced : List.of("zzzz-5", "urn:never-published")) {
            try (SseClient client = mercure(nodes.b, query("https://example.com/lost/{id}") + "&lastEventID=" + unplaced)) {
                SseParser.Event reset = client.next(WAIT);
                assertEquals("reset", reset.type(), unplaced);
                assertEquals(unplaced, ItSupport.JSON.readTree(reset.data()).get("lastEventId").asText());
                assertEquals(List.of(one, two), ids(client, 2), "then what the cluster retains");
            }
        }
    }

    @Test
    void aPublishersOwnIdIsRefusedOnRedisWith501AndNothingIsPublished() throws Exception {
        String topic = "https://example.com/own-id/1";
        try (SseClient onB = mercure(nodes.b, query(topic))) {
            HttpResponse<String> refused = publish(nodes.httpA, form("topic", topic, "data", "x", "id", "urn:uuid:mine"));
            assertEquals(501, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            String next = publishOk(nodes.httpA, "topic", topic, "data", "y");
            SseParser.Event event = onB.next(WAIT);
            assertEquals("y", event.data(), "the refused update was not published");
            assertEquals(next, event.id());
        }
    }

    @Test
    void theSubscriptionsApiListsTheNodesOwnSubscriptions() throws Exception {
        String watcher = token(Map.of("subscribe", List.of(MercureIT.SUBSCRIPTIONS_SELECTOR)), null);
        String topic = "https://example.com/watched/1";
        try (SseClient events = mercure(nodes.a, query(MercureIT.SUBSCRIPTIONS_SELECTOR), bearer(watcher))) {
            JsonNode own = ItSupport.JSON.readTree(events.next(WAIT).data());
            assertEquals(MercureIT.SUBSCRIPTIONS_SELECTOR, own.get("topic").asText());
            try (SseClient onB = mercure(nodes.b, query(topic))) {
                JsonNode fromB = ItSupport.JSON.readTree(events.next(WAIT).data());
                assertEquals(topic, fromB.get("topic").asText(), "a subscription event travels from node B to A");
                assertTrue(fromB.get("active").asBoolean());
                HttpResponse<String> listedOnB = nodes.httpB.send(HttpRequest.newBuilder(
                        nodes.b.base().resolve(MercureIT.HUB + "/subscriptions")).header("Authorization", "Bearer " + watcher));
                assertEquals(200, listedOnB.statusCode(), listedOnB.body());
                assertTrue(listedOnB.body().contains(topic), listedOnB.body());
                HttpResponse<String> listedOnA = nodes.httpA.send(HttpRequest.newBuilder(
                        nodes.a.base().resolve(MercureIT.HUB + "/subscriptions")).header("Authorization", "Bearer " + watcher));
                assertEquals(200, listedOnA.statusCode(), listedOnA.body());
                assertTrue(!listedOnA.body().contains(topic), "the list is the node's own: " + listedOnA.body());
            }
        }
    }

    /**
     * Mercure publishes on node A go on while Redis is stopped and started again with its data:
     * the Mercure streams on node B (exact topic and template) stay open and get every
     * acknowledged update once, in order, and nothing else; no reset, since nothing was lost.
     */
    @Test
    void aRedisRestartMidStreamCostsAMercureSubscriberNothing() throws Exception {
        String topic = "https://example.com/blip/1";
        try (SseClient exact = mercure(nodes.b, query(topic));
             SseClient template = mercure(nodes.b, query("https://example.com/blip/{id}"))) {
            List<String> acknowledged = new CopyOnWriteArrayList<>();
            List<Integer> refused = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread publisher = new Thread(() -> {
                int n = 0;
                while (running.get()) {
                    try {
                        HttpResponse<String> response = publish(nodes.httpA, form("topic", topic, "data", "m" + n));
                        if (response.statusCode() == 200) {
                            acknowledged.add(response.body());
                            n++;
                        } else {
                            refused.add(response.statusCode());
                        }
                    } catch (Exception e) {
                        refused.add(-1);
                    }
                }
            }, "mercure-publisher");
            publisher.start();
            try {
                Await.until(WAIT, () -> acknowledged.size() >= 10, "publishes before the fault");
                nodes.redis.stopProcess();
                Await.until(WAIT, () -> !refused.isEmpty(), "publishing to be refused while Redis is down");
                int atRestart = acknowledged.size();
                nodes.redis.startProcess();
                Await.until(Duration.ofSeconds(30), () -> acknowledged.size() > atRestart + 10, "publishing to work again");
                Await.until(WAIT, () -> ClusterIT.ready(nodes.httpA) && ClusterIT.ready(nodes.httpB), "both nodes to be ready again");
            } finally {
                running.set(false);
                publisher.join(WAIT.toMillis());
            }
            assertTrue(refused.stream().allMatch(status -> status == 503 || status == 504), "refused: " + refused);
            // An update answered 504 (Redis said nothing for the whole wait) may or may not be
            // published: those are the only events allowed besides the acknowledged ones.
            long unknown = refused.stream().filter(status -> status == 504).count();
            String last = acknowledged.get(acknowledged.size() - 1);
            for (SseClient client : List.of(exact, template)) {
                List<SseParser.Event> received = new ArrayList<>();
                while (received.isEmpty() || !received.get(received.size() - 1).id().equals(last)) {
                    received.add(client.next(Duration.ofSeconds(30)));
                }
                assertTrue(received.stream().noneMatch(e -> "reset".equals(e.type())), "nothing was lost");
                List<String> ids = received.stream().map(SseParser.Event::id).toList();
                assertEquals(ids.size(), new java.util.HashSet<>(ids).size(), "nothing arrives twice");
                assertEquals(acknowledged, ids.stream().filter(acknowledged::contains).toList(),
                        "every acknowledged update, in order");
                assertTrue(ids.size() - acknowledged.size() <= unknown, "only acknowledged updates arrive: " + ids);
            }
        }
    }
}
