package io.ssehub.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An event-stream parser written from the WHATWG "Server-sent events" processing model, kept apart
 * from the production encoder so tests check one against the other. Feed it bytes in any pieces;
 * it returns the events dispatched so far.
 */
public final class SseParser {

    /** One dispatched event: {@code id} is the last event id in force when it was dispatched. */
    public record Event(String id, String type, String data, Long retry) {
    }

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<Event> events = new ArrayList<>();
    private final StringBuilder data = new StringBuilder();
    private boolean lastWasCr;
    private String type = "";
    private String lastEventId = "";
    private Long retry;
    private int comments;
    /** The block so far (since the last blank line) has a comment line; has a line of any other kind. */
    private boolean commentInBlock;
    private boolean fieldInBlock;
    private boolean firstLine = true;

    public List<Event> feed(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte b = bytes[i];
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                processLine(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
        List<Event> out = List.copyOf(events);
        events.clear();
        return out;
    }

    public List<Event> feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return feed(bytes, 0, bytes.length);
    }

    /**
     * Comment frames seen so far (keep-alives, {@code :\n\n}): blocks of nothing but comment lines,
     * ended by a blank line. A comment line in a block with fields is not one: the line a stream
     * sends on Jetty to end its last chunk ({@code :\n}) begins the next frame.
     */
    public int comments() {
        return comments;
    }

    public String lastEventId() {
        return lastEventId;
    }

    /** The reconnection time the stream last set with {@code retry:}, {@code null} if none. */
    public Long retry() {
        return retry;
    }

    private void processLine(String text) {
        if (firstLine) {
            firstLine = false;
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        }
        if (text.isEmpty()) {
            if (commentInBlock && !fieldInBlock) {
                comments++;
            }
            commentInBlock = false;
            fieldInBlock = false;
            dispatch();
            return;
        }
        if (text.startsWith(":")) {
            commentInBlock = true;
            return;
        }
        fieldInBlock = true;
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    retry = Long.parseLong(value);
                }
            }
            default -> { /* ignored, as the spec says */ }
        }
    }

    private void dispatch() {
        if (data.length() == 0) {
            type = "";
            return;
        }
        data.setLength(data.length() - 1);
        events.add(new Event(lastEventId, type.isEmpty() ? "message" : type, data.toString(), retry));
        data.setLength(0);
        type = "";
    }
}
