package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that leaves is let go at once, not at the stream's next write: keep-alives are an hour
 * apart here and nothing is published, so only noticing the client's FIN or RST can release its
 * stream. Once released it no longer counts anywhere: the node's subscribers, its limit of open
 * streams (the next clients get no 503 from ghosts), its topics.
 */
class ReleaseIT extends ItSupport {

    static final int MAX_STREAMS = 50;
    /** How soon a closed client must be gone: two probes (500 ms apart by default), with slack for a loaded CI machine. */
    static final Duration PROMPTLY = Duration.ofSeconds(3);

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.keepalive.interval", "1h",
                "ssehub.streams.max", Integer.toString(MAX_STREAMS));
    }

    private int subscribers() {
        try {
            return JSON.readTree(http.get("healthz").body()).get("subscribers").asInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void awaitReleased(String why) {
        Await.until(PROMPTLY, () -> subscribers() == 0, why);
    }

    @Test
    void clientsThatCloseTheirConnectionAreReleasedAtOnceAndLeaveRoomForTheNext() throws Exception {
        for (int round = 0; round < 2; round++) {
            List<SseClient> clients = subscribe("release-fin", MAX_STREAMS);
            assertEquals(MAX_STREAMS, subscribers());
            closeAll(clients); // an orderly FIN, as a closing browser tab sends
            awaitReleased("every closed client to be released, round " + round);
        }
    }

    @Test
    void clientsThatVanishWithAResetAreReleasedAtOnce() throws Exception {
        List<SseClient> clients = subscribe("release-rst", 10);
        for (SseClient client : clients) {
            client.abort();
        }
        awaitReleased("every reset client to be released");
    }

    /**
     * A reconnect storm at the node's limit: every client vanishes at once (as in a network
     * failover) and comes straight back with its last id, before the node can have noticed that
     * the old connections are gone. Their ghosts hold every slot; the returning clients wait for
     * open on overdraft instead of getting a 503, which would stop an {@code EventSource} for good,
     * and each gets what it missed.
     */
    @Test
    void clientsComingBackBeforeTheirGhostsAreReleasedAreNotRefusedWithA503() throws Exception {
        String topic = "release-storm";
        List<SseClient> clients = subscribe(topic, MAX_STREAMS);
        String seen = publishOk(topic, "seen").get("id").asText();
        for (SseClient client : clients) {
            assertEquals(seen, client.next(WAIT).id());
        }
        // Published before they vanish and never read: after it nothing is written to the old
        // connections, so only the probes can find them gone.
        String missed = publishOk(topic, "missed").get("id").asText();
        for (SseClient client : clients) {
            client.abort();
        }
        List<SseClient> back = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_STREAMS; i++) {
                SseClient client = SseClient.open(server.base(), "events/" + topic, Map.of("Last-Event-ID", seen));
                back.add(client);
                assertEquals(200, client.status(), "client " + i + " came back to " + client.status());
            }
            for (SseClient client : back) {
                assertEquals("ready", client.next(WAIT).type());
                SseParser.Event event = client.next(WAIT);
                assertEquals(missed, event.id());
                assertEquals("missed", event.data());
            }
            Await.until(PROMPTLY, () -> subscribers() == MAX_STREAMS, "the ghosts to be released");
        } finally {
            closeAll(back);
            awaitReleased("every client to be released");
        }
    }

    /**
     * A node that is really full lends a stream a grace, not a place: once the grace is over, the
     * stream is closed with a {@code retry:} hint and the node is back at its limit.
     */
    @Test
    void aStreamOverALimitThatStaysFullIsClosedAfterItsGraceWithARetryHint() throws Exception {
        List<SseClient> clients = subscribe("release-over", MAX_STREAMS);
        try (SseClient over = SseClient.open(server.base(), "events/release-over")) {
            assertEquals(200, over.status());
            assertEquals("ready", over.next(WAIT).type());
            over.readToEnd(WAIT);
            assertTrue(over.retry() != null && over.retry() > 0, "a retry: hint before the close, got " + over.retry());
            Await.until(PROMPTLY, () -> subscribers() == MAX_STREAMS, "the node back at its limit");
        } finally {
            closeAll(clients);
            awaitReleased("every client to be released");
        }
    }

    /**
     * A client that sends a body on its stream request, and keeps sending: what it sends is read and
     * thrown away, never buffered for it, and past the limit its stream is closed.
     */
    @Test
    void aClientFloodingItsStreamRequestWithABodyIsCutOff() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.base().getHost(), server.base().getPort()), 5_000);
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + server.base().getRawPath() + "events/release-flood HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] chunk = ("2000\r\n" + "x".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            Await.until(WAIT, () -> subscribers() == 1, "the stream to open");
            long sent = 0;
            try {
                // Far more than a stream reads; the server cuts the stream off well before.
                while (sent < 64L * 1024 * 1024 && subscribers() > 0) {
                    out.write(chunk);
                    sent += chunk.length;
                }
            } catch (SocketException closed) {
                // the server closed the connection while we were still sending: also cut off
            }
            awaitReleased("the flooding stream to be closed");
            assertTrue(sent < 16L * 1024 * 1024, "cut off after " + sent + " bytes");
            drain(in);
        }
    }

    private static void drain(InputStream in) {
        try {
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // what the stream had sent before it was closed
            }
        } catch (IOException ignored) {
            // reset by the server: the end as well
        }
    }
}
