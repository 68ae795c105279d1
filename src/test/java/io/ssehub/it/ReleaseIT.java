package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
