package io.ssehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.background.BackgroundEventHandler;
import io.ssehub.testing.EventHandler;
import com.launchdarkly.eventsource.background.BackgroundEventSource;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ssehub.testing.Await;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Mercure protocol at /.well-known/mercure, with tokens minted as Mercure's documentation shows. */
class MercureIT extends ItSupport {

    /** The key of Mercure's own documentation and examples. */
    static final String KEY = "!ChangeThisMercureHubJWTSecretKey!";
    static final String HUB = ".well-known/mercure";
    static final String SUBSCRIPTIONS_SELECTOR = "/.well-known/mercure/subscriptions{/topic}{/subscriber}";

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.keepalive.interval", "400ms",
                "ssehub.mercure.publisherJwtKey", KEY,
                // Mercure publishing needs a token, so /publish must too (the hub refuses to start otherwise).
                "ssehub.publish.auth", "jwt",
                // Mercure's tokens share the seed's leeway; without it a stream outlives exp by 30 s.
                "ssehub.jwt.leeway", "0",
                "ssehub.mercure.subscriptions", "true",
                "ssehub.mercure.maxTopics", "4");
    }

    static String token(Map<String, Object> mercure, Date expires) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("mercure", mercure);
        if (expires != null) {
            claims.expirationTime(expires);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(KEY.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static String publisher() throws Exception {
        return token(Map.of("publish", List.of("*")), null);
    }

    static String form(Object... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            out.append(out.length() == 0 ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1].toString(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    HttpResponse<String> publish(String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base().resolve(HUB))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request);
    }

    String publishOk(String body) throws Exception {
        HttpResponse<String> response = publish(publisher(), body);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return response.body();
    }

    static String query(String... selectors) {
        return HUB + "?" + java.util.Arrays.stream(selectors)
                .map(s -> "topic=" + URLEncoder.encode(s, StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    SseClient mercure(String path, Map<String, String> headers) throws IOException {
        SseClient client = SseClient.open(server.base(), path, headers);
        assertEquals(200, client.status(), "subscribe " + path);
        assertEquals("text/event-stream;charset=utf-8", client.header("Content-Type").replace(" ", "").toLowerCase());
        return client;
    }

    @Test
    void everyFieldOfAPublishReachesTheSubscriber() throws Exception {
        try (SseClient client = mercure(query("https://example.com/books/1"), Map.of())) {
            String id = publishOk(form("topic", "https://example.com/books/1", "data", "{\"title\":\"a\nb\"}",
                    "id", "urn:uuid:book-1-v2", "type", "book", "retry", "3000"));
            assertEquals("urn:uuid:book-1-v2", id);
            assertEquals(new SseParser.Event(id, "book", "{\"title\":\"a\nb\"}", 3000L), client.next(WAIT));
            String generated = publishOk(form("topic", "https://example.com/books/1", "data", "x"));
            assertTrue(generated.matches("[0-9a-z]+-\\d+"), generated);
            assertEquals(generated, client.next(WAIT).id());
        }
    }

    @Test
    void exactWildcardAndUriTemplateSelectorsMatch() throws Exception {
        try (SseClient exact = mercure(query("https://example.com/a/1"), Map.of());
             SseClient all = mercure(query("*"), Map.of());
             SseClient template = mercure(query("https://example.com/a/{id}"), Map.of());
             SseClient level3 = mercure(query("https://example.com/b{/path*}{?q}"), Map.of())) {
            String one = publishOk(form("topic", "https://example.com/a/1", "data", "one"));
            String two = publishOk(form("topic", "https://example.com/a/2", "data", "two"));
            String deep = publishOk(form("topic", "https://example.com/a/2/deeper", "data", "deep"));
            String b = publishOk(form("topic", "https://example.com/b/x/y?q=1", "data", "b"));
            assertEquals(List.of(one), ids(exact, 1));
            assertEquals(List.of(one, two, deep, b), ids(all, 4));
            assertEquals(List.of(one, two), ids(template, 2));
            assertEquals(List.of(b), ids(level3, 1));
        }
    }

    @Test
    void anUpdateWithAlternateTopicsArrivesOnceAndReachesAlternateSubscribers() throws Exception {
        try (SseClient both = mercure(query("https://example.com/c/1", "https://example.com/alt/1"), Map.of());
             SseClient alternate = mercure(query("https://example.com/alt/{x}"), Map.of())) {
            String id = publishOk(form("topic", "https://example.com/c/1", "topic", "https://example.com/alt/1", "data", "d"));
            String next = publishOk(form("topic", "https://example.com/c/1", "data", "only canonical"));
            assertEquals(List.of(id, next), ids(both, 2), "once, though both selectors match");
            assertEquals(id, alternate.next(WAIT).id());
        }
    }

    @Test
    void privateUpdatesReachOnlyAuthorisedSubscribers() throws Exception {
        String allowed = token(Map.of("subscribe", List.of("https://example.com/p/{id}")), null);
        String other = token(Map.of("subscribe", List.of("https://example.com/other")), null);
        try (SseClient anonymous = mercure(query("https://example.com/p/1"), Map.of());
             SseClient wrongClaim = mercure(query("https://example.com/p/1"), Map.of("Authorization", "Bearer " + other));
             SseClient byHeader = mercure(query("https://example.com/p/1"), Map.of("Authorization", "Bearer " + allowed));
             SseClient byQuery = mercure(query("https://example.com/p/1") + "&authorization=" + allowed, Map.of());
             SseClient byCookie = mercure(query("https://example.com/p/1"), Map.of("Cookie", "mercureAuthorization=" + allowed))) {
            String secret = publishOk(form("topic", "https://example.com/p/1", "data", "secret", "private", "on"));
            String open = publishOk(form("topic", "https://example.com/p/1", "data", "public"));
            assertEquals(List.of(open), ids(anonymous, 1));
            assertEquals(List.of(open), ids(wrongClaim, 1));
            for (SseClient client : List.of(byHeader, byQuery, byCookie)) {
                assertEquals(List.of(secret, open), ids(client, 2));
            }
        }
    }

    @Test
    void resumesByHeaderByQueryAndFromTheEarliest() throws Exception {
        String topic = "https://example.com/r/1";
        String first = publishOk(form("topic", topic, "data", "1", "id", "urn:r:1"));
        String second = publishOk(form("topic", topic, "data", "2"));
        String third = publishOk(form("topic", topic, "data", "3"));
        try (SseClient client = mercure(query(topic), Map.of("Last-Event-ID", first))) {
            assertEquals(first, client.header("Last-Event-ID"));
            assertEquals(List.of(second, third), ids(client, 2));
        }
        try (SseClient client = mercure(query(topic) + "&lastEventID=" + second, Map.of())) {
            assertEquals(List.of(third), ids(client, 1));
        }
        try (SseClient client = mercure(query(topic) + "&lastEventID=earliest", Map.of())) {
            assertEquals(List.of(first, second, third), ids(client, 3));
        }
        try (SseClient client = mercure(query(topic), Map.of("Last-Event-ID", "urn:never-published"))) {
            assertEquals("reset", client.next(WAIT).type(), "an unknown id is answered with a reset");
        }
    }

    @Test
    void subscriptionEventsAndTheSubscriptionsApi() throws Exception {
        String watcher = token(Map.of("subscribe", List.of(SUBSCRIPTIONS_SELECTOR)), null);
        try (SseClient events = mercure(query(SUBSCRIPTIONS_SELECTOR), Map.of("Authorization", "Bearer " + watcher))) {
            String subscriberId;
            JsonNode own = JSON.readTree(events.next(WAIT).data());
            assertEquals(SUBSCRIPTIONS_SELECTOR, own.get("topic").asText(), "the watcher sees its own subscription first");
            try (SseClient watched = mercure(query("https://example.com/s/1"), Map.of())) {
                JsonNode active = JSON.readTree(events.next(WAIT).data());
                assertEquals("Subscription", active.get("type").asText());
                assertEquals("https://example.com/s/1", active.get("topic").asText());
                assertTrue(active.get("active").asBoolean());
                subscriberId = active.get("subscriber").asText();
                assertTrue(active.get("id").asText().startsWith("/.well-known/mercure/subscriptions/"));

                HttpResponse<String> list = http.send(HttpRequest.newBuilder(server.base().resolve(HUB + "/subscriptions"))
                        .header("Authorization", "Bearer " + watcher));
                assertEquals(200, list.statusCode(), list.body());
                assertTrue(list.headers().firstValue("Content-Type").orElse("").startsWith("application/ld+json"));
                JsonNode body = JSON.readTree(list.body());
                assertEquals("Subscriptions", body.get("type").asText());
                assertTrue(list.body().contains(subscriberId));
                HttpResponse<String> anonymous = http.get(HUB + "/subscriptions");
                assertEquals(401, anonymous.statusCode());
            }
            JsonNode inactive = JSON.readTree(events.next(WAIT).data());
            assertEquals(subscriberId, inactive.get("subscriber").asText());
            assertFalse(inactive.get("active").asBoolean());
        }
    }

    @Test
    void theStreamClosesWhenTheTokenExpires() throws Exception {
        String shortLived = token(Map.of("subscribe", List.of("*")), new Date(System.currentTimeMillis() + 1_500));
        try (SseClient client = mercure(query("https://example.com/e/1"), Map.of("Authorization", "Bearer " + shortLived))) {
            client.readToEnd(WAIT);
        }
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        assertProblem(http.get(HUB), 400);
        assertProblem(http.get(HUB + "?topic=a%01b"), 400);
        assertProblem(http.get(query("a", "b", "c", "d", "e")), 400);
        assertProblem(http.get(query("https://example.com/{unclosed")), 400);
        assertProblem(http.get(HUB + "?topic=x&authorization=not.a.token"), 401);

        String form = form("topic", "https://example.com/x", "data", "d");
        HttpResponse<String> anonymous = publish(null, form);
        assertProblem(anonymous, 401);
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertProblem(publish(publisher().substring(0, publisher().length() - 2) + "xx", form), 401);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"mercure\":{\"publish\":[\"*\"]}}".getBytes(StandardCharsets.UTF_8)) + ".";
        assertProblem(publish(none, form), 401);
        assertProblem(publish(token(Map.of("publish", List.of("https://example.com/other")), null), form), 403);
        assertProblem(publish(token(Map.of("publish", List.of("*")), new Date(System.currentTimeMillis() - 120_000)), form), 401);
        assertProblem(publish(publisher(), form("topic", "/.well-known/mercure/subscriptions/x/y", "data", "forged")), 403);
        assertProblem(publish(publisher(), form("topic", "https://example.com/%2Ewell-known/mercure/subscriptions/x", "data", "forged")), 403);
        assertProblem(publish(publisher(), form("data", "no topic")), 400);
        assertProblem(publish(publisher(), form("topic", "t", "id", "#fragment")), 400);
        assertProblem(publish(publisher(), form("topic", "t", "retry", "soon")), 400);
        assertProblem(publish(publisher(), form("topic", "t", "type", "a\nb")), 400);
        assertProblem(publish(publisher(), form("topic", "t", "id", "a", "id", "b")), 400);
        assertProblem(publish(publisher(), "topic=%ZZ"), 400);
        publishOk(form("topic", "t", "id", "urn:once"));
        assertProblem(publish(publisher(), form("topic", "t", "id", "urn:once")), 409);
    }

    @Test
    void aSelectorThatBacktracksWithoutEndIsRefusedAtSubscribe() throws Exception {
        String evil = "https://example.com/{+a}{+b}{+c}{+d}{+e}{+f}{+g}{+h}{+i}{+j}{+k}{+l}{+m}{+n}{+o}{+p}Z1";
        assertProblem(http.get(query("https://example.com/fine/{id}", evil)), 400);
        try (SseClient fine = mercure(query("https://example.com/fine/{id}"), Map.of())) {
            String id = publishOk(form("topic", "https://example.com/fine/1", "data", "still served"));
            assertEquals(id, fine.next(WAIT).id());
        }
    }

    @Test
    void theConsolePageAdvertisesTheHub() throws Exception {
        HttpResponse<String> page = http.get("");
        assertEquals("<.well-known/mercure>; rel=\"mercure\"", page.headers().firstValue("Link").orElseThrow());
    }

    /** An EventSource client written elsewhere, used the way Mercure's JavaScript examples use one. */
    @Test
    void anIndependentEventSourceClientSubscribesAndReceives() throws Exception {
        List<String> data = new CopyOnWriteArrayList<>();
        List<String> ids = new CopyOnWriteArrayList<>();
        BackgroundEventHandler handler = new EventHandler((event, message) -> {
            data.add(message.getData());
            ids.add(message.getLastEventId());
        });
        java.net.URI url = server.base().resolve(query("https://example.com/books/{id}"));
        EventSource.Builder source = new EventSource.Builder(ConnectStrategy.http(url).readTimeout(30, TimeUnit.SECONDS))
                .retryDelay(50, TimeUnit.MILLISECONDS);
        try (BackgroundEventSource events = new BackgroundEventSource.Builder(handler, source).build()) {
            events.start();
            List<String> published = new ArrayList<>();
            Await.until(WAIT, () -> {
                try {
                    // Until the client is connected, updates go to nobody; keep publishing until one arrives.
                    published.add(publishOk(form("topic", "https://example.com/books/" + published.size(), "data", "{\"n\":" + published.size() + "}")));
                    return !data.isEmpty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "the client to receive an update");
            String last = publishOk(form("topic", "https://example.com/books/99", "data", "{\"n\":99}"));
            Await.until(WAIT, () -> ids.contains(last), "the last update");
            assertEquals("{\"n\":99}", data.get(ids.indexOf(last)));
            assertNotEquals(-1, published.indexOf(ids.get(0)));
        }
    }

    static List<String> ids(SseClient client, int count) throws IOException {
        List<String> ids = new ArrayList<>();
        while (ids.size() < count) {
            SseParser.Event event = client.next(WAIT);
            ids.add(event.id());
        }
        return ids;
    }
}
