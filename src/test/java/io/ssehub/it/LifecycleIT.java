package io.ssehub.it;

import io.ssehub.testing.Http;
import io.ssehub.testing.LeakWatch;
import io.ssehub.testing.LogCapture;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deploy, undeploy and redeploy on a real container: streams end, and nothing of ours is left
 * running. Each scenario starts a server of its own on the container, and no other server runs
 * meanwhile (the threads left are counted), so this suite shares none.
 */
class LifecycleIT extends OnEveryContainer {

    @Test
    void undeployEndsStreamsAndLeavesNoThreadOrLeakWarning() throws Exception {
        try (LeakWatch leaks = new LeakWatch();
             TestServer server = container.start(Map.of("ssehub.tick.interval", "100ms"))) {
            SseClient system = SseClient.open(server.base(), "events/system");
            SseClient other = SseClient.open(server.base(), "events/other");
            assertEquals("ready", system.next(ItSupport.WAIT).type());
            assertEquals("ready", other.next(ItSupport.WAIT).type());
            assertTrue(system.next(ItSupport.WAIT).data().startsWith("tick at"));
            assertTrue(LeakWatch.threadsLeft().size() >= 2, "writer and scheduler threads run: " + LeakWatch.threadsLeft());

            server.undeploy();

            system.readToEnd(ItSupport.WAIT); // the server ended both streams
            other.readToEnd(ItSupport.WAIT);
            LeakWatch.awaitNoThreadsLeft(Duration.ofSeconds(5));
            assertEquals(List.of(), leaks.warnings());

            server.redeploy();
            assertEquals(200, new Http(server.base()).get("healthz").statusCode());
            try (SseClient again = SseClient.open(server.base(), "events/system")) {
                assertEquals("ready", again.next(ItSupport.WAIT).type());
            }
        }
    }

    @Test
    void undeployWritesWhatIsQueuedThenARetryHintWithJitterToEveryStream() throws Exception {
        try (TestServer server = container.start(Map.of("ssehub.tick.interval", "0",
                "ssehub.shutdown.retry", "1500ms", "ssehub.shutdown.retryJitter", "1000ms"))) {
            List<SseClient> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SseClient client = SseClient.open(server.base(), "events/bye");
                assertEquals("ready", client.next(ItSupport.WAIT).type());
                clients.add(client);
            }
            new Http(server.base()).post("publish", "{\"topic\":\"bye\",\"msg\":\"last news\"}");

            server.undeploy();

            java.util.Set<Long> hints = new java.util.HashSet<>();
            for (SseClient client : clients) {
                List<io.ssehub.testing.SseParser.Event> rest = client.readToEnd(ItSupport.WAIT);
                assertEquals(List.of("last news"), rest.stream().map(io.ssehub.testing.SseParser.Event::data).toList());
                Long retry = client.retry();
                assertTrue(retry != null && retry >= 1500 && retry <= 2500, "retry hint " + retry);
                hints.add(retry);
                client.close();
            }
            assertTrue(hints.size() > 1, "jitter spreads the hints: " + hints);
        }
    }

    @Test
    void undeployLogsToItsLastLine() throws Exception {
        try (LogCapture log = new LogCapture();
             TestServer server = container.start(Map.of("ssehub.tick.interval", "0"))) {
            server.undeploy();

            // logging stops after the hub, not before it: what shutdown reports is not lost
            List<String> lines = log.lines("io.ssehub.app");
            assertTrue(lines.stream().anyMatch(line -> line.endsWith(" ssehub stopped")), "lines: " + lines);
        }
    }

    @Test
    void metricsCanBeSwitchedOff() throws Exception {
        try (TestServer server = container.start(Map.of("ssehub.tick.interval", "0", "ssehub.metrics.enabled", "false"))) {
            Http http = new Http(server.base());
            assertEquals(404, http.get("metrics").statusCode());
            assertEquals(200, http.get("readyz").statusCode());
        }
    }

    @Test
    void anIdFromBeforeARestartIsRecognisedAndAnsweredWithAReset() throws Exception {
        try (TestServer server = container.start(Map.of("ssehub.tick.interval", "0"))) {
            Http http = new Http(server.base());
            String old = ItSupport.JSON.readTree(http.post("publish", "{\"topic\":\"restart\",\"msg\":\"before\"}").body())
                    .get("id").asText();
            server.undeploy();
            server.redeploy();
            String fresh = ItSupport.JSON.readTree(http.post("publish", "{\"topic\":\"restart\",\"msg\":\"after\"}").body())
                    .get("id").asText();
            assertTrue(!fresh.substring(0, fresh.indexOf('-')).equals(old.substring(0, old.indexOf('-'))), "a new epoch");
            try (SseClient client = SseClient.open(server.base(), "events/restart", Map.of("Last-Event-ID", old))) {
                assertEquals("ready", client.next(ItSupport.WAIT).type());
                io.ssehub.testing.SseParser.Event reset = client.next(ItSupport.WAIT);
                assertEquals("reset", reset.type());
                assertEquals("{\"lastEventId\":\"" + old + "\",\"oldestAvailable\":\"" + fresh + "\"}", reset.data());
                assertEquals("after", client.next(ItSupport.WAIT).data());
            }
        }
    }

    @Test
    void anInvalidConfigValueFailsTheDeployment() {
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> container.start(Map.of("ssehub.subscriber.queue", "lots")).close());
        assertTrue(failure.toString().contains("failed") || failure.toString().contains("ssehub.subscriber.queue"),
                failure.toString());
    }

}
