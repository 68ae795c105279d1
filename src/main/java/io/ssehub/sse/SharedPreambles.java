package io.ssehub.sse;

import java.util.Arrays;
import java.util.List;

/**
 * Joins streams' preambles (ready frame, reset, replay) into the chunks they are written in, and
 * gives the next stream whose preamble is the same frames the chunks already joined. In a
 * reconnect storm thousands of clients resume from the same last event within a few milliseconds:
 * each replay would otherwise be copied into fresh arrays of its own, hundreds of kilobytes per
 * client for a gap of a few seconds, all of it garbage once written.
 *
 * <p>Remembers the last preamble only; thread-safe. The chunks are shared, so, like every frame,
 * they are never written to.
 */
public final class SharedPreambles {

    /** A frame this short (a ready frame, a reset) is built per stream: compared by content. */
    private static final int COMPARED_BY_CONTENT = 512;

    private record Joined(List<byte[]> frames, List<byte[]> chunks) {
    }

    private volatile Joined last;

    /** The chunks to write {@code frames} in, shared with the streams before if they were the same. */
    public List<byte[]> chunks(List<byte[]> frames) {
        if (frames.size() == 1) {
            return frames; // nothing to join
        }
        Joined seen = last;
        if (seen != null && same(seen.frames(), frames)) {
            return seen.chunks();
        }
        List<byte[]> chunks = StreamFeed.chunks(frames);
        last = new Joined(List.copyOf(frames), chunks);
        return chunks;
    }

    /** The same frames in the same order: the hub's shared arrays, or equal short ones. */
    private static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            byte[] x = a.get(i);
            byte[] y = b.get(i);
            if (x != y && (x.length > COMPARED_BY_CONTENT || !Arrays.equals(x, y))) {
                return false;
            }
        }
        return true;
    }
}
