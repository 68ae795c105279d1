package io.ssehub.sse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedPreamblesTest {

    private static final List<byte[]> REPLAY = frames(3_000, 100); // about 300 KB: several chunks

    @Test
    void clientsResumingFromTheSameEventShareOneJoinedReplay() {
        SharedPreambles preambles = new SharedPreambles();

        List<byte[]> first = preambles.chunks(preamble("id: a-1", REPLAY));
        List<byte[]> second = preambles.chunks(preamble("id: a-1", REPLAY)); // its ready frame built anew

        assertSame(first, second);
        assertTrue(first.size() > 1, "a replay this long is written in several chunks");
    }

    @Test
    void aDifferentPositionOrReplayIsJoinedAfresh() {
        SharedPreambles preambles = new SharedPreambles();
        List<byte[]> first = preambles.chunks(preamble("id: a-1", REPLAY));

        assertNotSame(first, preambles.chunks(preamble("id: a-2", REPLAY)));
        List<byte[]> longer = new ArrayList<>(REPLAY);
        longer.add("data: one more\n\n".getBytes(StandardCharsets.UTF_8));
        assertNotSame(first, preambles.chunks(preamble("id: a-2", longer)));
    }

    @Test
    void theChunksHoldEveryByteInOrderWithinABatchEach() {
        List<byte[]> frames = preamble("id: a-1", REPLAY);

        List<byte[]> chunks = new SharedPreambles().chunks(frames);

        assertArrayEquals(concat(frames), concat(chunks));
        for (byte[] chunk : chunks) {
            assertTrue(chunk.length <= 64 * 1024, "chunk of " + chunk.length + " bytes");
        }
    }

    private static List<byte[]> preamble(String id, List<byte[]> replay) {
        List<byte[]> frames = new ArrayList<>();
        frames.add((id + "\nevent: ready\ndata: subscribed to \"t\"\n\n").getBytes(StandardCharsets.UTF_8));
        frames.addAll(replay);
        return frames;
    }

    private static List<byte[]> frames(int count, int size) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String data = "id: a-" + i + "\ndata: " + "x".repeat(size) + "\n\n";
            frames.add(data.getBytes(StandardCharsets.UTF_8));
        }
        return frames;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
