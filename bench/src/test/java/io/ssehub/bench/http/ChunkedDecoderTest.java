package io.ssehub.bench.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkedDecoderTest {

    private static final String BODY = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";

    @Test
    void decodesWholeInput() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedDecoder decoder = new ChunkedDecoder(out::write);
        byte[] bytes = BODY.getBytes(StandardCharsets.US_ASCII);
        decoder.feed(bytes, 0, bytes.length);
        assertEquals("hello, world", out.toString(StandardCharsets.US_ASCII));
        assertTrue(decoder.finished());
    }

    @Test
    void decodesByteByByte() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedDecoder decoder = new ChunkedDecoder(out::write);
        byte[] bytes = BODY.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            assertFalse(decoder.finished());
            decoder.feed(bytes, i, 1);
        }
        assertEquals("hello, world", out.toString(StandardCharsets.US_ASCII));
        assertTrue(decoder.finished());
    }

    @Test
    void leavesWhatFollowsTheBody() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedDecoder decoder = new ChunkedDecoder(out::write);
        byte[] bytes = (BODY + "HTTP/1.1").getBytes(StandardCharsets.US_ASCII);
        assertEquals(BODY.length(), decoder.feed(bytes, 0, bytes.length));
        assertTrue(decoder.finished());
        assertEquals(0, decoder.feed(bytes, BODY.length(), 8));
        assertEquals("hello, world", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void rejectsGarbageSize() {
        ChunkedDecoder decoder = new ChunkedDecoder((b, o, l) -> { });
        byte[] bytes = "zz\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalStateException.class, () -> decoder.feed(bytes, 0, bytes.length));
    }

    @Test
    void responseHeadFindsBodyStartAndFraming() {
        ResponseHead head = new ResponseHead();
        byte[] bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        int start = head.feed(bytes, 0, bytes.length);
        assertEquals(bytes.length - 3, start);
        assertEquals(200, head.status());
        assertTrue(head.chunked());
        assertTrue(head.connectionClose());
        assertEquals(-1, head.contentLength());
    }
}
