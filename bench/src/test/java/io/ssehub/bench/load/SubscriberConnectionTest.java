package io.ssehub.bench.load;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a subscriber keeps across streams, as an {@code EventSource} does, and how it sees a stream's end; no sockets are connected. */
class SubscriberConnectionTest {

    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";
    private static final byte[] REQUEST = "GET /events/t HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SelectorLoop loop = new SelectorLoop("test", new InetSocketAddress("127.0.0.1", 9),
            "GET /events/t HTTP/1.1\r\n", new PoolCounters(), 1);

    SubscriberConnectionTest() throws IOException {
    }

    @AfterEach
    void stop() throws InterruptedException {
        loop.stop();
    }

    @Test
    void theLastRetryHintCarriesOverToLaterStreamsAsAnEventSourceKeepsIt() throws IOException {
        SubscriberConnection connection = new SubscriberConnection(SocketChannel.open(), REQUEST, loop);
        assertEquals(3_000, connection.reconnectionMillis(3_000), "no retry: yet, the default");
        stream(connection, chunk("retry: 1234\n\n"));
        assertEquals(1_234, connection.reconnectionMillis(3_000));
        connection.reopen(SocketChannel.open(), REQUEST);
        stream(connection, chunk("id: 7\ndata: x\n\n"));
        assertEquals(1_234, connection.reconnectionMillis(3_000), "a stream without retry: keeps the last one");
        assertEquals("7", connection.lastEventId());
    }

    @Test
    void theLastChunkEndsTheStreamThoughTheConnectionStaysOpen() throws IOException {
        SubscriberConnection connection = new SubscriberConnection(SocketChannel.open(), REQUEST, loop);
        stream(connection, chunk("data: x\n\n"));
        assertFalse(connection.responseEnded());
        feed(connection, chunk("retry: 500\n\n") + "0\r\n\r\n");
        assertTrue(connection.responseEnded());
        assertEquals(500, connection.reconnectionMillis(3_000));
    }

    /** A 200 head and then {@code body}, as on a stream whose request was sent. */
    private static void stream(SubscriberConnection connection, String body) {
        connection.state = SubscriberConnection.State.HEAD;
        feed(connection, HEAD + body);
    }

    private static void feed(SubscriberConnection connection, String bytes) {
        byte[] raw = bytes.getBytes(StandardCharsets.UTF_8);
        connection.received(raw, raw.length);
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }
}
