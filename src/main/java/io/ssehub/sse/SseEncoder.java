package io.ssehub.sse;

import io.ssehub.hub.FrameEncoder;
import io.ssehub.hub.Message;

import java.nio.charset.StandardCharsets;

/**
 * The SSE wire format (WHATWG HTML, "Server-sent events"), UTF-8 throughout.
 *
 * <p>A message becomes one {@code data:} line per line of text; {@code \r\n}, {@code \r} and
 * {@code \n} all end a line, so no payload can start a new field or a new event:
 * <pre>
 * "hello"            -&gt; data: hello\n\n
 * "a\r\nb"           -&gt; data: a\ndata: b\n\n
 * "x\n\nid: 9"       -&gt; data: x\ndata: \ndata: id: 9\n\n
 * </pre>
 * A conforming parser joins the data lines with {@code \n}, so the text comes back with every
 * line break normalised to {@code \n}. Thread-safe and stateless.
 */
public final class SseEncoder implements FrameEncoder {

    private static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public byte[] encode(Message message) {
        StringBuilder out = new StringBuilder(message.data().length() + 16);
        appendData(out, message.data());
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The first frame of every stream:
     * <pre>event: ready\ndata: subscribed to "news"\n\n</pre>
     * It carries no {@code id:}, so it never moves a client's resume point.
     */
    public static byte[] ready(String description) {
        StringBuilder out = new StringBuilder(48 + description.length());
        out.append("event: ready\n");
        appendData(out, "subscribed to " + description);
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment frame, {@code :\n\n}: ignored by clients, keeps proxies and dead-peer checks busy. */
    public static byte[] comment() {
        return COMMENT.clone();
    }

    static byte[] sharedComment() {
        return COMMENT;
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
