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
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

    /**
     * A publisher's id on node A is the update's id on node B's wire, live and on replay; a client
     * resumes from it on node B, by header and by query, for an exact topic and a template.
     */
    @Test
    void aPublishersOwnIdTravelsToTheOtherNodeAndAClientResumesFromItThere() throws Exception {
        String topic = "https://example.com/own-id/1";
        String template = "https://example.com/own-id/{n}";
        try (SseClient exact = mercure(nodes.b, query(topic));
             SseClient byTemplate = mercure(nodes.b, query(template))) {
            String mine = publishOk(nodes.httpA, "topic", topic, "topic", "https://example.com/own-id/alt",
                    "data", "{\"v\":2}", "id", "urn:uuid:book-1-v2", "type", "book");
            assertEquals("urn:uuid:book-1-v2", mine, "the publisher's id is the answer");
            assertEquals(new SseParser.Event(mine, "book", "{\"v\":2}", null), exact.next(WAIT));
            assertEquals(List.of(mine), ids(byTemplate, 1));
        }
        String next = publishOk(nodes.httpA, "topic", topic, "data", "after");
        try (SseClient byHeader = mercure(nodes.b, query(topic), Map.of("Last-Event-ID", "urn:uuid:book-1-v2"));
             SseClient byQuery = mercure(nodes.b, query(template) + "&lastEventID=urn:uuid:book-1-v2");
             SseClient onAlternate = mercure(nodes.b, query("https://example.com/own-id/alt"));
             SseClient earliest = mercure(nodes.b, query(topic) + "&lastEventID=earliest")) {
            assertEquals("urn:uuid:book-1-v2", byHeader.header("Last-Event-ID"));
            SseParser.Event resumed = byHeader.next(WAIT);
            assertEquals(next, resumed.id(), "no reset: history places the publisher's id");
            assertEquals(List.of(next), ids(byQuery, 1));
            assertEquals(List.of("urn:uuid:book-1-v2", next), ids(earliest, 2), "replayed with the publisher's id");
            String live = publishOk(nodes.httpB, "topic", "https://example.com/own-id/alt", "data", "live", "id", "urn:live");
            assertEquals(List.of(live), ids(onAlternate, 1));
        }
    }

    /**
     * The id a publisher chose on node A is taken on node B too (409 duplicate-id), and an id of the
     * hub's form or {@code earliest} is refused (409 reserved-id): a client resuming with it would be
     * taken to another event. Nothing of a refused update is published.
     */
    @Test
    void aDuplicateOrHubFormIdIsRefusedOnTheOtherNodeAndNothingIsPublished() throws Exception {
        String topic = "https://example.com/own-id/2";
        try (SseClient onA = mercure(nodes.a, query(topic))) {
            String first = publishOk(nodes.httpA, "topic", topic, "data", "x", "id", "urn:once");
            String hubs = publishOk(nodes.httpA, "topic", topic, "data", "y");
            assertEquals(List.of(first, hubs), ids(onA, 2));
            HttpResponse<String> duplicate = publish(nodes.httpB, form("topic", "https://example.com/elsewhere", "data", "z",
                    "id", "urn:once"));
            assertEquals(409, duplicate.statusCode(), duplicate.body());
            assertTrue(duplicate.body().contains("duplicate-id"), duplicate.body());
            String nextOfForm = hubs.substring(0, hubs.lastIndexOf('-') + 1) + (Long.parseLong(hubs.substring(hubs.lastIndexOf('-') + 1)) + 5);
            for (String reserved : List.of(hubs, nextOfForm, "earliest")) {
                HttpResponse<String> refused = publish(nodes.httpB, form("topic", topic, "data", "z", "id", reserved));
                assertEquals(409, refused.statusCode(), reserved + ": " + refused.body());
                assertTrue(refused.body().contains("reserved-id"), refused.body());
                assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            }
            String after = publishOk(nodes.httpB, "topic", topic, "data", "after");
            SseParser.Event event = onA.next(WAIT);
            assertEquals("after", event.data(), "the refused updates were not published");
            assertEquals(after, event.id());
        }
    }

    HttpResponse<String> subscriptions(TestServer node, String path, String token) throws Exception {
        Http http = node == nodes.a ? nodes.httpA : nodes.httpB;
        return http.send(HttpRequest.newBuilder(node.base().resolve(MercureIT.HUB + "/subscriptions" + path))
                .header("Authorization", "Bearer " + token));
    }

    String listed(TestServer node, String token) {
        try {
            return subscriptions(node, "", token).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next subscription event on {@code topic}, with those it skipped (other tests' late ones). */
    static JsonNode nextOn(SseClient events, String topic, List<JsonNode> skipped) throws IOException {
        while (true) {
            JsonNode event = ItSupport.JSON.readTree(events.next(WAIT).data());
            if (event.get("topic").asText().equals(topic)) {
                return event;
            }
            skipped.add(event);
        }
    }

    static long seq(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    static String epoch(String id) {
        return id.substring(0, id.lastIndexOf('-'));
    }

    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A subscription on node B is listed by both nodes, as a collection, by topic and by itself, and
     * leaves both lists when its stream closes; its events (active, then inactive) reach a watcher on
     * node A once each, not once per node.
     */
    @Test
    void theSubscriptionsApiListsEveryNodesSubscriptionsAndEachEventIsPublishedOnce() throws Exception {
        String watcher = token(Map.of("subscribe", List.of(MercureIT.SUBSCRIPTIONS_SELECTOR)), null);
        // no '/' in the topic: the containers refuse an encoded slash (%2F) in a path
        String topic = "urn:example:watched:1";
        try (SseClient events = mercure(nodes.a, query(MercureIT.SUBSCRIPTIONS_SELECTOR), bearer(watcher))) {
            List<JsonNode> skipped = new ArrayList<>();
            JsonNode own = nextOn(events, MercureIT.SUBSCRIPTIONS_SELECTOR, skipped);
            String subscriber;
            try (SseClient onB = mercure(nodes.b, query(topic))) {
                JsonNode fromB = nextOn(events, topic, skipped);
                assertTrue(fromB.get("active").asBoolean());
                subscriber = fromB.get("subscriber").asText();
                for (TestServer node : List.of(nodes.a, nodes.b)) {
                    HttpResponse<String> all = subscriptions(node, "", watcher);
                    assertEquals(200, all.statusCode(), all.body());
                    JsonNode list = ItSupport.JSON.readTree(all.body());
                    assertTrue(all.body().contains(subscriber) && all.body().contains(own.get("subscriber").asText()),
                            "both nodes' subscriptions: " + all.body());
                    JsonNode byTopic = ItSupport.JSON.readTree(subscriptions(node, "/" + segment(topic), watcher).body());
                    assertEquals(1, byTopic.get("subscriptions").size(), byTopic.toString());
                    assertEquals(subscriber, byTopic.get("subscriptions").get(0).get("subscriber").asText());
                    HttpResponse<String> one = subscriptions(node, "/" + segment(topic) + "/" + segment(subscriber), watcher);
                    assertEquals(200, one.statusCode(), one.body());
                    assertEquals(fromB.get("id").asText(), ItSupport.JSON.readTree(one.body()).get("id").asText());
                    assertTrue(list.get("lastEventID").asText().matches("[0-9a-z]+-\\d+"), list.toString());
                }
            }
            JsonNode ended = nextOn(events, topic, skipped);
            assertEquals(subscriber, ended.get("subscriber").asText());
            assertTrue(!ended.get("active").asBoolean());
            for (TestServer node : List.of(nodes.a, nodes.b)) {
                Await.until(WAIT, () -> !listed(node, watcher).contains(subscriber), "the list to forget it");
                assertEquals(404, subscriptions(node, "/" + segment(topic) + "/" + segment(subscriber), watcher).statusCode());
            }
            try (SseClient onA = mercure(nodes.a, query("urn:example:watched:2"))) {
                nextOn(events, "urn:example:watched:2", skipped);
            }
            assertTrue(skipped.stream().noneMatch(e -> e.get("topic").asText().equals(topic)),
                    "each event once, not once per node: " + skipped);
        }
    }

    /**
     * A node that died with subscriptions open (its lease in Redis ran out, its subscriptions still
     * written) has them announced inactive by one of the living nodes, once, and they leave Redis.
     */
    @Test
    void theSubscriptionsOfANodeWhoseLeaseRanOutAreAnnouncedInactiveOnce() throws Exception {
        String watcher = token(Map.of("subscribe", List.of(MercureIT.SUBSCRIPTIONS_SELECTOR)), null);
        String ghost = "urn:uuid:ghost-subscriber";
        String topic = "urn:example:ghost";
        String record = ItSupport.JSON.createObjectNode()
                .put("id", "/.well-known/mercure/subscriptions/" + segment(topic) + "/" + segment(ghost))
                .put("type", "Subscription").put("topic", topic).put("subscriber", ghost).put("active", true)
                .putNull("payload").toString();
        try (SseClient events = mercure(nodes.a, query(MercureIT.SUBSCRIPTIONS_SELECTOR), bearer(watcher))) {
            List<JsonNode> skipped = new ArrayList<>();
            nextOn(events, MercureIT.SUBSCRIPTIONS_SELECTOR, skipped);
            nodes.redis.cli("HSET", "{ssehub}:a:dead-node", ghost + "\n" + topic, record);
            nodes.redis.cli("ZADD", "{ssehub}:a", "1", "dead-node");
            JsonNode ended = nextOn(events, topic, skipped);
            assertEquals(ghost, ended.get("subscriber").asText());
            assertTrue(!ended.get("active").asBoolean(), ended.toString());
            assertEquals("0", nodes.redis.cli("EXISTS", "{ssehub}:a:dead-node"));
            try (SseClient onB = mercure(nodes.b, query("urn:example:after-ghost"))) {
                nextOn(events, "urn:example:after-ghost", skipped);
            }
            assertTrue(skipped.stream().noneMatch(e -> e.get("topic").asText().equals(topic)),
                    "announced by one node only: " + skipped);
        }
    }

    /**
     * The list's {@code lastEventID} is the cluster's newest event: a watcher that resumes from it
     * gets the changes after the list and none before it.
     */
    @Test
    void aWatcherResumingFromTheListsLastEventIdGetsOnlyLaterChanges() throws Exception {
        String watcher = token(Map.of("subscribe", List.of(MercureIT.SUBSCRIPTIONS_SELECTOR)), null);
        String published = publishOk(nodes.httpA, "topic", "https://example.com/watched/before", "data", "x");
        JsonNode list = ItSupport.JSON.readTree(subscriptions(nodes.b, "", watcher).body());
        String last = list.get("lastEventID").asText();
        assertTrue(seq(last) >= seq(published) && epoch(last).equals(epoch(published)),
                "the newest event of the cluster, not of node B: " + last + " after " + published);
        try (SseClient events = mercure(nodes.a, query(MercureIT.SUBSCRIPTIONS_SELECTOR), Map.of(
                "Authorization", "Bearer " + watcher, "Last-Event-ID", last))) {
            assertEquals(last, events.header("Last-Event-ID"));
            List<SseParser.Event> received = new ArrayList<>();
            try (SseClient onB = mercure(nodes.b, query("https://example.com/watched/after"))) {
                while (received.isEmpty() || !received.get(received.size() - 1).data().contains("watched/after")) {
                    received.add(events.next(WAIT));
                }
            }
            assertTrue(received.stream().allMatch(e -> !"reset".equals(e.type()) && seq(e.id()) > seq(last)),
                    "only changes after the list: " + received);
        }
    }

    /**
     * Mercure publishes on node A go on while Redis is stopped and started again with its data:
     * the Mercure streams on node B (exact topic and template) stay open and get every
     * acknowledged update once, in order, and nothing else; no reset, since nothing was lost. A
     * subscription closed while Redis was away leaves the cluster's list once Redis is back.
     */
    @Test
    void aRedisRestartMidStreamCostsAMercureSubscriberNothing() throws Exception {
        String topic = "https://example.com/blip/1";
        String watcher = token(Map.of("subscribe", List.of(MercureIT.SUBSCRIPTIONS_SELECTOR)), null);
        try (SseClient leaving = mercure(nodes.b, query("urn:example:left-in-outage"));
             SseClient exact = mercure(nodes.b, query(topic));
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
                leaving.close(); // its deletion cannot reach Redis now
                int atRestart = acknowledged.size();
                nodes.redis.startProcess();
                Await.until(Duration.ofSeconds(30), () -> acknowledged.size() > atRestart + 10, "publishing to work again");
                Await.until(WAIT, () -> ClusterIT.ready(nodes.httpA) && ClusterIT.ready(nodes.httpB), "both nodes to be ready again");
                Await.until(WAIT, () -> !listed(nodes.a, watcher).contains("urn:example:left-in-outage"),
                        "a subscription closed while Redis was away to leave the cluster's list");
                assertTrue(listed(nodes.a, watcher).contains(topic), "the open ones stay listed");
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
