package io.ssehub.bench.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental {@code text/event-stream} parser that follows the WHATWG HTML "Server-sent
 * events" interpretation rules.
 *
 * <p>Bytes may arrive split anywhere, even inside a CR LF pair or a UTF-8 sequence. Lines end with
 * CR LF, LF or CR; a leading UTF-8 BOM is skipped; a line starting with {@code :} is a comment;
 * {@code field: value} loses one space after the colon; a line without a colon is a field with an
 * empty value; {@code data} appends the value and a LF to the data buffer; {@code event} sets the
 * type; {@code id} sets the last event ID unless the value contains NUL; {@code retry} with ASCII
 * digits only sets the reconnection time; other fields are ignored. A blank line dispatches: an
 * empty data buffer dispatches nothing, otherwise the final LF is removed and the event goes to the
 * listener with type {@code "message"} if none was given. Buffers then reset, except the last event
 * ID. Field names are compared byte-wise (they are ASCII); values are kept as UTF-8 bytes and
 * decoded (with U+FFFD replacement) only when a string is needed, which yields the same text as
 * decoding first.
 *
 * <p>Not thread-safe: one parser per stream, fed by one thread at a time.
 */
public final class SseParser {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final SseListener listener;

    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private int bomChecked; // bytes of the stream start compared with the BOM so far; 3 = done

    private byte[] data = new byte[256];
    private int dataLength;
    private String eventType;
    private String lastEventId = "";
    private long retryMillis = -1;

    public SseParser(SseListener listener) {
        this(listener, "");
    }

    /**
     * A parser for a reconnection: the last event ID carries over from the stream before, as an
     * {@code EventSource}'s does, until this stream sets another.
     */
    public SseParser(SseListener listener, String lastEventId) {
        this.listener = listener;
        this.lastEventId = lastEventId;
    }

    /** Feeds {@code length} bytes from {@code bytes[offset]} on. */
    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (bomChecked < 3) {
                if (b == BOM[bomChecked] && lineLength == bomChecked) {
                    bomChecked++;
                    if (bomChecked == 3) {
                        lineLength = 0; // drop the BOM
                    } else {
                        append(b);
                    }
                    continue;
                }
                bomChecked = 3; // not a BOM: whatever was held back is ordinary line content
            }
            if (b == LF) {
                if (lastWasCr) {
                    lastWasCr = false; // second half of CR LF
                    continue;
                }
                endLine();
            } else if (b == CR) {
                lastWasCr = true;
                endLine();
            } else {
                lastWasCr = false;
                append(b);
            }
        }
    }

    /** The reconnection time last set by a {@code retry} field, or -1. */
    public long retryMillis() {
        return retryMillis;
    }

    /** The last event ID so far: what an {@code EventSource} would send as {@code Last-Event-ID} on reconnecting. */
    public String lastEventId() {
        return lastEventId;
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    private void endLine() {
        int n = lineLength;
        lineLength = 0;
        if (n == 0) {
            dispatch();
            return;
        }
        if (line[0] == ':') {
            listener.onComment();
            return;
        }
        int colon = indexOf(line, n, (byte) ':');
        int nameEnd = colon < 0 ? n : colon;
        int valueStart = colon < 0 ? n : colon + 1;
        if (valueStart < n && line[valueStart] == ' ') {
            valueStart++;
        }
        field(nameEnd, valueStart, n);
    }

    private void field(int nameEnd, int valueStart, int end) {
        if (is("data", nameEnd)) {
            int needed = dataLength + (end - valueStart) + 1;
            if (needed > data.length) {
                data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
            }
            System.arraycopy(line, valueStart, data, dataLength, end - valueStart);
            dataLength += end - valueStart;
            data[dataLength++] = LF;
        } else if (is("event", nameEnd)) {
            eventType = new String(line, valueStart, end - valueStart, StandardCharsets.UTF_8);
        } else if (is("id", nameEnd)) {
            if (indexOf(line, end, (byte) 0, valueStart) < 0) {
                lastEventId = new String(line, valueStart, end - valueStart, StandardCharsets.UTF_8);
            }
        } else if (is("retry", nameEnd)) {
            retry(valueStart, end);
        }
    }

    private void retry(int start, int end) {
        if (start == end) {
            return;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            byte b = line[i];
            if (b < '0' || b > '9') {
                return;
            }
            value = value * 10 + (b - '0');
            if (value > Integer.MAX_VALUE) {
                return;
            }
        }
        retryMillis = value;
    }

    private void dispatch() {
        if (dataLength == 0) {
            eventType = null;
            return;
        }
        String type = eventType == null || eventType.isEmpty() ? "message" : eventType;
        eventType = null;
        int length = dataLength - 1; // without the final LF
        dataLength = 0;
        listener.onEvent(type, data, length, lastEventId);
    }

    private boolean is(String name, int nameEnd) {
        if (nameEnd != name.length()) {
            return false;
        }
        for (int i = 0; i < nameEnd; i++) {
            if (line[i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, int end, byte b) {
        return indexOf(bytes, end, b, 0);
    }

    private static int indexOf(byte[] bytes, int end, byte b, int from) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
