package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.SseClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits that protect a node, with small values: open streams per node and per client
 * address, and distinct topics. Each client address is a different 127.0.0.x, all of which reach
 * the loopback server. Every scenario closes its streams and waits until the server has let them
 * go, so the next starts from an empty node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitIT extends ItSupport {

    static final int MAX_STREAMS = 8;
    static final int PER_CLIENT = 3;
    static final int MAX_TOPICS = 20;

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "0",
                // A client that closed is noticed at the next write; keep-alives make that soon.
                "ssehub.keepalive.interval", "200ms",
                "ssehub.streams.max", Integer.toString(MAX_STREAMS),
                // The refusal itself; ReleaseIT covers the grace a full node lends by default.
                "ssehub.streams.grace", "0",
                "ssehub.streams.perClient", Integer.toString(PER_CLIENT),
                "ssehub.topics.max", Integer.toString(MAX_TOPICS));
    }

    private SseClient openFrom(int client, String topic) throws IOException {
        return SseClient.openFrom(InetAddress.getByName("127.0.0." + client), server.base(), "events/" + topic, Map.of());
    }

    private void closeAndAwaitRelease(List<SseClient> clients, String topic) {
        closeAll(clients);
        Await.until(WAIT, () -> server != null && subscribers(topic) == 0, "the streams to be released");
    }

    private int subscribers(String topic) {
        try {
            HttpResponse<String> response = http.get("topics/" + topic);
            return response.statusCode() == 404 ? 0 : JSON.readTree(response.body()).get("subscribers").asInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(SseClient client, int status) throws IOException {
        assertEquals(status, client.status());
        assertTrue(Integer.parseInt(client.header("Retry-After")) > 0);
        assertTrue(client.header("Content-Type").startsWith("application/problem+json"));
    }

    @Test
    @Order(1)
    void theStreamOverTheNodeLimitGets503WhileTheOthersStayHealthy() throws Exception {
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_STREAMS; i++) {
                SseClient client = openFrom(10 + i / 2, "node");
                assertEquals(200, client.status());
                assertEquals("ready", client.next(WAIT).type());
                clients.add(client);
            }
            try (SseClient refused = openFrom(30, "node")) {
                assertRefused(refused, 503);
            }
            assertEquals(MAX_STREAMS, publishOk("node", "still here").get("delivered").asInt());
            for (SseClient client : clients) {
                assertEquals("still here", client.next(WAIT).data());
            }
            clients.remove(0).close();
            Await.until(WAIT, () -> subscribers("node") == MAX_STREAMS - 1, "a closed stream to free its place");
            try (SseClient again = openFrom(31, "node")) {
                assertEquals(200, again.status());
            }
        } finally {
            closeAndAwaitRelease(clients, "node");
        }
    }

    @Test
    @Order(1)
    void aClientOverItsOwnLimitGets429AndOthersStillGetIn() throws Exception {
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < PER_CLIENT; i++) {
                clients.add(openFrom(40, "per-client"));
                assertEquals(200, clients.get(i).status());
            }
            try (SseClient refused = openFrom(40, "per-client")) {
                assertRefused(refused, 429);
            }
            SseClient other = openFrom(41, "per-client");
            clients.add(other);
            assertEquals(200, other.status());
        } finally {
            closeAndAwaitRelease(clients, "per-client");
        }
    }

    @Test
    @Order(2) // fills the node with topics: the other scenarios need new ones
    void aNewTopicOverTheTopicLimitGets503AndKnownTopicsStillWork() throws Exception {
        int existing = JSON.readTree(http.get("healthz").body()).get("topics").asInt();
        for (int i = existing; i < MAX_TOPICS; i++) {
            publishOk("limit-" + i, "x");
        }
        HttpResponse<String> refused = http.post("publish", "{\"topic\":\"limit-new\",\"msg\":\"x\"}");
        assertProblem(refused, 503);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        publishOk("limit-" + (MAX_TOPICS - 1), "known topics still take messages");
        try (SseClient stream = openFrom(50, "limit-new-stream")) {
            assertRefused(stream, 503);
        }
        try (SseClient stream = openFrom(50, "limit-" + (MAX_TOPICS - 1))) {
            assertEquals(200, stream.status());
        }
    }
}
