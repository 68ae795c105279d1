package io.ssehub.sse;

import io.ssehub.hub.FrameEncoder;
import io.ssehub.hub.Message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The SSE wire format (WHATWG HTML, "Server-sent events"), UTF-8 throughout.
 *
 * <p>A published message becomes one frame: its id, its type and retry hint if it has them, and
 * one {@code data:} line per line of text. {@code \r\n}, {@code \r} and {@code \n} all end a line,
 * so no payload can start a new field or a new event:
 * <pre>
 * "hello", id e-1             -&gt; id: e-1\ndata: hello\n\n
 * "a\r\nb", id e-2, type tick -&gt; id: e-2\nevent: tick\ndata: a\ndata: b\n\n
 * "x\n\nid: 9", id e-3        -&gt; id: e-3\ndata: x\ndata: \ndata: id: 9\n\n
 * </pre>
 * A conforming parser joins the data lines with {@code \n}, so the text comes back with every
 * line break normalised to {@code \n}. On a stream of several topics the data is a JSON envelope
 * naming the topic, on one line:
 * <pre>
 * id: e-4\ndata: {"topic":"news","data":"a\nb"}\n\n
 * </pre>
 * Thread-safe and stateless.
 */
public final class SseEncoder implements FrameEncoder {

    private static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMENT_LINE = ":\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public byte[] encode(Message message, String id) {
        return prepare(message).withId(id);
    }

    /** Encodes all but the id line at once; the id line is put in front of it then. */
    @Override
    public Prepared prepare(Message message) {
        StringBuilder out = new StringBuilder(message.data().length() + 32);
        fields(out, message);
        appendData(out, message.data());
        byte[] rest = finish(out);
        return id -> {
            byte[] line = ("id: " + id + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] frame = Arrays.copyOf(line, line.length + rest.length);
            System.arraycopy(rest, 0, frame, line.length, rest.length);
            return frame;
        };
    }

    @Override
    public byte[] encodeWithTopic(Message message, String id) {
        StringBuilder out = header(message, id, message.data().length() + message.topic().length() + 32);
        out.append("data: {\"topic\":");
        Json.appendString(out, message.topic());
        out.append(",\"data\":");
        Json.appendString(out, message.data());
        out.append("}\n");
        return finish(out);
    }

    private static StringBuilder header(Message message, String id, int dataLength) {
        StringBuilder out = new StringBuilder(dataLength + 48);
        out.append("id: ").append(id).append('\n');
        return fields(out, message);
    }

    /** The {@code event:} and {@code retry:} lines a message asks for, which follow its id. */
    private static StringBuilder fields(StringBuilder out, Message message) {
        if (message.type() != null) {
            out.append("event: ").append(message.type()).append('\n');
        }
        if (message.retry() != null) {
            out.append("retry: ").append(message.retry()).append('\n');
        }
        return out;
    }

    private static byte[] finish(StringBuilder out) {
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The first frame of every seed stream, carrying the position the stream starts after:
     * <pre>id: mi3k2x1a-41\nevent: ready\ndata: subscribed to "news"\n\n</pre>
     * So a client whose stream is closed before its first event (a redeploy, a maximum lifetime)
     * still reconnects with a {@code Last-Event-ID} and loses nothing; a resuming client gets back
     * the id it sent, so it is not moved.
     *
     * @param startsAfter the position; the front end has checked it holds no control character
     */
    public static byte[] ready(String description, String startsAfter) {
        return named("ready", startsAfter, "subscribed to " + description);
    }

    /**
     * A frame that only sets the client's resume point and dispatches no event (its data is
     * empty): the first frame of a Mercure stream.
     * <pre>id: mi3k2x1a-41\n\n</pre>
     */
    public static byte[] position(String startsAfter) {
        return ("id: " + startsAfter + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A named event without data semantics for {@code onmessage}: {@code reset}, for example. With
     * an {@code id} it moves the client's resume point.
     */
    public static byte[] named(String type, String id, String data) {
        StringBuilder out = new StringBuilder(32 + data.length());
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        out.append("event: ").append(type).append('\n');
        appendData(out, data);
        return finish(out);
    }

    /**
     * The report of frames dropped for a subscriber that could not keep up, written before the next
     * frame it gets. It has no id: the client's resume point stays before the gap, so a client that
     * reconnects is replayed what history still holds of it.
     * <pre>event: reset\ndata: {"dropped":3,"firstLost":"mi3k2x1a-42","lastLost":"mi3k2x1a-44"}\n\n</pre>
     */
    public static byte[] dropped(long count, String firstLost, String lastLost) {
        StringBuilder data = new StringBuilder(64).append("{\"dropped\":").append(count).append(",\"firstLost\":");
        Json.appendString(data, firstLost);
        data.append(",\"lastLost\":");
        Json.appendString(data, lastLost);
        return named("reset", null, data.append('}').toString());
    }

    /** A comment frame, {@code :\n\n}: ignored by clients, keeps proxies and dead-peer checks busy. */
    public static byte[] comment() {
        return COMMENT.clone();
    }

    /**
     * A reconnection hint on its own, which dispatches no event:
     * <pre>retry: 2500\n\n</pre>
     */
    public static byte[] retry(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("retry must not be negative: " + millis);
        }
        return ("retry: " + millis + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] sharedComment() {
        return COMMENT;
    }

    /**
     * A comment line on its own, {@code :\n}, shared: never modify it. It is not a frame (no blank
     * line ends it): it dispatches nothing, and whatever frame follows it begins with a line that
     * every parser ignores.
     */
    static byte[] sharedCommentLine() {
        return COMMENT_LINE;
    }

    /** Appends {@code data: line\n} for every line of {@code text}; an empty text gives one empty line. */
    static void appendData(StringBuilder out, String text) {
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.append("data: ").append(text, start, i).append('\n');
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.append("data: ").append(text, start, n).append('\n');
    }
}
