package io.ssehub.bench.springpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The peer over real HTTP: a run against it counts only if every published message reaches every
 * stream, in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringPeerApplicationTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyPublishedMessageReachesTheStreamInOrder() throws Exception {
        HttpResponse<InputStream> stream = http.send(
                HttpRequest.newBuilder(uri("/events/news")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertEquals(List.of("event:ready", "data:subscribed to \"news\""), readEvent(lines));
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = publish("{\"topic\":\"news\",\"msg\":\"m" + i + "\"}");
                assertEquals(200, answer.statusCode());
                assertTrue(answer.body().contains("\"delivered\":1"), answer.body());
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of("data:m" + i), readEvent(lines));
            }
        }
    }

    @Test
    void aPublishWithoutMessageIsRefused() throws Exception {
        assertEquals(422, publish("{\"topic\":\"news\"}").statusCode());
    }

    @Test
    void readinessAnswers200() throws Exception {
        assertEquals(200, http.send(HttpRequest.newBuilder(uri("/readyz")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    private HttpResponse<String> publish(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/publish")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The lines of the next event, up to the blank line that ends it. */
    private static List<String> readEvent(BufferedReader lines) throws Exception {
        List<String> event = new ArrayList<>();
        for (String line = lines.readLine(); line != null && !line.isEmpty(); line = lines.readLine()) {
            event.add(line);
        }
        return event;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
