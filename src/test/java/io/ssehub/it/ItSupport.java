package io.ssehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.testing.Http;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.TestServer;
import jakarta.servlet.Servlet;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.io.Closeable;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scenario suite's server and its helpers. Each suite is written once and runs on every
 * container, as one parameterized class with an invocation per container (see
 * {@link OnEveryContainer}). Each invocation starts a server on its container, shared by the
 * scenarios of that invocation and stopped after them; each scenario uses topics of its own.
 */
abstract class ItSupport extends OnEveryContainer {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();

    TestServer server;
    Http http;

    /** The context-params this suite's server runs with; asked for as each container's server starts. */
    abstract Map<String, String> params();

    /** Servlets of the tests' own (URL pattern to class) deployed beside the hub's; none unless a suite says. */
    Map<String, Class<? extends Servlet>> servlets() {
        return Map.of();
    }

    /**
     * Sets up, before each container's server starts, what the server reads or the scenarios change
     * (the suite's instance, and so what its fields hold from construction, serves every container).
     */
    void beforeServerStarts() throws Exception {
    }

    @BeforeParameterizedClassInvocation
    void start() throws Exception {
        beforeServerStarts();
        server = container.start(params(), servlets());
        http = new Http(server.base());
    }

    @AfterParameterizedClassInvocation
    void stop() throws Exception {
        if (server != null) {
            try {
                server.close();
            } finally {
                server = null; // the next container's scenarios never reach this one's server
                http = null;
            }
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

    static void closeAll(List<? extends Closeable> clients) {
        for (Closeable client : clients) {
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
