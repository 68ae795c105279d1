package io.ssehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.testing.Http;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scenario suite's server and its helpers. Each suite is written once and run on every
 * container by one small subclass per container; the server is shared by the scenarios of one
 * class, and each scenario uses topics of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ItSupport {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();

    TestServer server;
    Http http;

    abstract TestServer.Factory container();

    /** The context-params this suite's server runs with. */
    abstract Map<String, String> params();

    @BeforeAll
    void start() throws Exception {
        server = container().start(params());
        http = new Http(server.base());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    SseClient subscribe(String topic) throws IOException {
        SseClient client = SseClient.open(server.base(), "events/" + topic);
        assertEquals(200, client.status());
        assertEquals("ready", client.next(WAIT).type(), "the ready frame comes first");
        return client;
    }

    List<SseClient> subscribe(String topic, int count) throws IOException {
        List<SseClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(subscribe(topic));
        }
        return clients;
    }

    JsonNode publishOk(String topic, String msg) throws Exception {
        String body = JSON.writeValueAsString(Map.of("topic", topic, "msg", msg));
        HttpResponse<String> response = http.post("publish", body);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    int publishQuietly(String topic) {
        try {
            return publishOk(topic, "ping").get("delivered").asInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void assertProblem(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                "problem+json, got " + response.headers().firstValue("Content-Type"));
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(status, problem.get("status").asInt());
        assertTrue(problem.get("type").asText().startsWith("urn:ssehub:problem:"));
        assertTrue(problem.hasNonNull("title"));
        assertTrue(problem.hasNonNull("detail"));
        assertEquals(response.headers().firstValue("X-Request-ID").orElseThrow(), problem.get("requestId").asText());
    }

    static void closeAll(List<SseClient> clients) {
        for (SseClient client : clients) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
    }

    JsonNode publishJson(String body) throws Exception {
        HttpResponse<String> response = http.post("publish", body);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
