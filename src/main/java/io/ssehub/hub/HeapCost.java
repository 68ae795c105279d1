package io.ssehub.hub;

import java.util.List;

/**
 * What a retained event holds on the heap, in bytes, for the history budget
 * ({@link HistoryLimits#maxBytes()}): its encoded frame, and also the message it was encoded from
 * (its data, topic, alternates, type and id strings), the objects around them, an allowance for
 * the multi-topic encoding a {@code GET /events?topic=...} stream makes of it on first use, and the
 * history entry of each topic that keeps it.
 *
 * <p>Sizes follow the layout of a 64-bit HotSpot JVM with compressed references (heaps under
 * 32 GiB): 12-byte object headers, 4-byte references, 16-byte array headers, every object rounded
 * up to 8 bytes, and strings one byte per character while all are Latin-1, else two.
 * {@code HistoryHeapTest} holds the estimate to the heap a full history actually uses.
 */
final class HeapCost {

    /** A {@code Frame}: header, three longs, five references, an int. */
    static final int FRAME = align(12 + 3 * 8 + 5 * 4 + 4);
    /** A {@code Message}: header, six references, a boolean. */
    static final int MESSAGE = align(12 + 6 * 4 + 1);
    /** A {@code Topic.Retained}, plus its slot in the topic's deque (grown to twice what it holds). */
    static final int ENTRY = align(12 + 4 * 4) + 2 * 4;
    /** A boxed {@code retry}. */
    static final int LONG = align(12 + 8);
    /** The hub's map entry that remembers a publisher's id (node, boxed sequence). */
    static final int CUSTOM_ID = align(12 + 4 * 4) + LONG;
    /** What the multi-topic envelope adds to the frame: {@code {"topic":"","data":""}} and the array around it. */
    static final int ENVELOPE = 32 + 16;

    private HeapCost() {
    }

    /**
     * The bytes one retained event costs, counted once per topic that keeps it (an update kept for
     * its alternates too is counted for each: the budget errs on the safe side).
     */
    static long of(Frame frame) {
        Message message = frame.message();
        long bytes = FRAME + array(frame.bytes().length) + string(frame.id())
                + MESSAGE + string(message.topic()) + string(message.data())
                + (message.type() == null ? 0 : string(message.type()))
                + (message.retry() == null ? 0 : LONG)
                + (message.customId() == null ? 0 : CUSTOM_ID)
                + alternates(message.alternates())
                // Made on first use by a multi-topic stream; reserved, since it is made after the count.
                + array(frame.bytes().length + message.topic().length() + ENVELOPE);
        return bytes + ENTRY;
    }

    private static long alternates(List<String> alternates) {
        if (alternates.isEmpty()) {
            return 0; // the shared empty list
        }
        long bytes = align(12 + 4) + array(4L * alternates.size());
        for (String alternate : alternates) {
            bytes += string(alternate);
        }
        return bytes;
    }

    /** A {@code String}: the object (header, hash, coder, reference) and its byte array. */
    static long string(String text) {
        return align(12 + 4 + 4 + 1 + 4) + array(latin1(text) ? text.length() : 2L * text.length());
    }

    static long array(long length) {
        return align(16 + length);
    }

    private static boolean latin1(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static int align(int size) {
        return (size + 7) & ~7;
    }

    private static long align(long size) {
        return (size + 7) & ~7L;
    }
}
