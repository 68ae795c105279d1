package io.ssehub.bench.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseReaderTest {

    /** Three answers back to back and the start of a fourth. */
    private static final String STREAM = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
            + "HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nbusy\r\n0\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 2";

    @Test
    void findsEachAnswerWhateverThePiecesAre() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.US_ASCII);
        for (int piece = 1; piece <= bytes.length; piece++) {
            List<String> seen = new ArrayList<>();
            ResponseReader reader = new ResponseReader();
            for (int offset = 0; offset < bytes.length; offset += piece) {
                int start = offset;
                int left = Math.min(piece, bytes.length - offset);
                while (left > 0) {
                    int used = reader.feed(bytes, start, left);
                    start += used;
                    left -= used;
                    if (reader.complete()) {
                        seen.add(reader.head().status() + (reader.head().connectionClose() ? " close" : ""));
                        reader = new ResponseReader();
                    }
                }
            }
            assertEquals(List.of("200", "503 close", "204"), seen, "pieces of " + piece);
            assertFalse(reader.complete(), "the fourth answer is still coming");
        }
    }

    @Test
    void rejectsAnAnswerWithoutLength() {
        byte[] bytes = "HTTP/1.1 200 OK\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalStateException.class, () -> new ResponseReader().feed(bytes, 0, bytes.length));
    }

    @Test
    void anEmptyBodyCompletesWithTheHead() {
        ResponseReader reader = new ResponseReader();
        byte[] bytes = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(bytes.length, reader.feed(bytes, 0, bytes.length));
        assertTrue(reader.complete());
        assertEquals(202, reader.head().status());
        assertThrows(IllegalStateException.class, () -> reader.feed(bytes, 0, 1));
    }
}
