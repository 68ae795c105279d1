package io.ssehub.bench.load;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A trickler sends the head, then its body a byte at a time, and starts again once answered. */
class TricklersTest {

    private static final String HEAD = "POST /publish HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n";

    @Test
    void sendsTheHeadThenAByteAtATimeAndStartsAgainOnceAnswered() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            Tricklers tricklers = Tricklers.start(address, 1, (HEAD + "abcd").getBytes(StandardCharsets.US_ASCII));
            try {
                try (Socket first = server.accept()) {
                    first.setSoTimeout(10_000);
                    InputStream in = first.getInputStream();
                    assertEquals(HEAD, read(in, HEAD.length()));
                    assertEquals("a", read(in, 1), "the body's first byte, on its own");
                    first.getOutputStream().write("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                }
                try (Socket second = server.accept()) {
                    second.setSoTimeout(10_000);
                    assertEquals(HEAD, read(second.getInputStream(), HEAD.length()), "a new connection, from the start");
                }
                assertEquals(1, tricklers.cutOff());
                assertEquals(2, tricklers.connected());
            } finally {
                tricklers.close();
            }
        }
    }

    private static String read(InputStream in, int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (bytes.size() < count) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + bytes);
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
