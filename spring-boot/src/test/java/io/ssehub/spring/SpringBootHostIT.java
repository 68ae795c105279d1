package io.ssehub.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.ErrorStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.ssehub.api.Receipt;
import io.ssehub.api.SseHub;
import io.ssehub.spring.host.ShopApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Spring Boot application ({@link ShopApplication}, on Spring Boot's embedded Tomcat, with
 * Actuator), configured by its {@code application.properties}, spoken to over HTTP.
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootHostIT {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String ORIGIN = "https://shop.example";

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    SseHub hub;
    @Autowired
    MeterRegistry meterRegistry;

    private URI base;

    @BeforeEach
    void base() {
        base = URI.create("http://127.0.0.1:" + port + "/");
    }

    @Test
    void theHubAnswersUnderThePrefixFromApplicationPropertiesAndTheShopKeepsItsOwnPaths() throws Exception {
        HttpResponse<String> health = get("sse/healthz");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.headers().firstValue("X-Request-ID").isPresent(), "ssehub's filters run under the prefix");
        assertTrue(get("sse/").body().contains("<title>ssehub console</title>"));

        HttpResponse<String> hello = get("hello");
        assertEquals("hello from the shop", hello.body());
        assertTrue(hello.headers().firstValue("X-Request-ID").isEmpty(), "and only there");

        HttpResponse<String> preflight = send(HttpRequest.newBuilder(base.resolve("sse/publish"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST"));
        assertEquals(204, preflight.statusCode());
        assertEquals(ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "ssehub.cors.origins from application.properties");
    }

    @Test
    void eventsPublishedOverHttpFromTheShopsControllerAndThroughTheBeanReachASubscriber() throws Exception {
        try (EventSource stream = subscribe("sse/events/orders")) {
            assertEquals("ready", stream.readMessage().getEventName());

            HttpResponse<String> posted = send(HttpRequest.newBuilder(base.resolve("sse/publish"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"orders\",\"msg\":\"over http\"}")));
            assertEquals(200, posted.statusCode(), posted.body());
            MessageEvent overHttp = stream.readMessage();
            assertEquals("over http", overHttp.getData());
            assertEquals(json.readTree(posted.body()).get("id").asText(), overHttp.getLastEventId());

            HttpResponse<String> placed = send(HttpRequest.newBuilder(base.resolve("orders"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"order\":42}")));
            assertEquals(201, placed.statusCode(), placed.body());
            MessageEvent order = stream.readMessage();
            assertEquals("order-placed", order.getEventName());
            assertEquals("{\"order\":42}", order.getData());
            assertEquals(placed.body(), order.getLastEventId() + " 1", "the controller's receipt: its id, one subscriber");

            Receipt direct = hub.publish("orders", "from the bean");
            MessageEvent fromBean = stream.readMessage();
            assertEquals("from the bean", fromBean.getData());
            assertEquals(direct.id(), fromBean.getLastEventId());

            assertEquals(1.0, meterRegistry.get("ssehub.streams.open").gauge().value(),
                    "the hub's meters are in the application's registry");
        }
    }

    @Test
    void actuatorHealthReportsTheHub() throws Exception {
        HttpResponse<String> health = get("actuator/health");
        assertEquals(200, health.statusCode(), health.body());
        JsonNode ssehub = json.readTree(health.body()).path("components").path("ssehub");
        assertEquals("UP", ssehub.path("status").asText(), health.body());
        assertEquals("RUNNING", ssehub.path("details").path("phase").asText(), health.body());
        assertNotNull(ssehub.path("details").get("streams"), health.body());
    }

    /**
     * A stream read by LaunchDarkly's EventSource client, a parser written elsewhere; each read
     * waits at most {@link #WAIT}, and a failure throws instead of reconnecting.
     */
    private EventSource subscribe(String path) throws Exception {
        EventSource source = new EventSource.Builder(ConnectStrategy.http(base.resolve(path))
                .readTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .errorStrategy(ErrorStrategy.alwaysThrow())
                .build();
        source.start();
        return source;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
