package io.ssehub.spring;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.ErrorStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.StreamClosedByServerException;
import io.ssehub.spring.host.ShopApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping a Spring Boot application that has subscribers. Spring Boot's graceful shutdown (on by
 * default) waits for requests in flight, and a stream is one until ssehub ends it: the hub must
 * end its streams first, or every shutdown would wait out {@code
 * spring.lifecycle.timeout-per-shutdown-phase} (30 s) before the streams got their last words.
 */
class SpringBootShutdownIT {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void closingTheApplicationEndsItsStreamsAtOnceWithTheirLastWords() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(ShopApplication.class)
                .run("--server.port=0", "--ssehub.shutdown.retry=3s", "--ssehub.shutdown.retryJitter=0");
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        URI stream = URI.create("http://127.0.0.1:" + port + "/sse/events/orders");
        try (EventSource source = new EventSource.Builder(ConnectStrategy.http(stream)
                .readTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .errorStrategy(ErrorStrategy.alwaysThrow())
                .build()) {
            source.start();
            assertEquals("ready", source.readMessage().getEventName());

            long started = System.nanoTime();
            app.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertTrue(took.compareTo(WAIT) < 0, "the application stopped in " + took
                    + ", not after Spring Boot's graceful shutdown gave up waiting for the stream");
            assertThrows(StreamClosedByServerException.class, source::readMessage, "the server ended the stream");
            assertEquals(3_000, source.getBaseRetryDelayMillis(), "the stream's last words: ssehub.shutdown.retry");
        } finally {
            app.close();
        }
    }
}
