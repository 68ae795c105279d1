package io.ssehub.http;

import java.util.Set;

/**
 * The rules every front end applies to a publisher's text that becomes an {@code event:} or
 * {@code id:} line: one line, no control character, and not a type the hub sends itself.
 */
public final class EventFields {

    public static final int MAX_TYPE_LENGTH = 64;
    /** Event types the hub itself sends; a publisher may not forge them. */
    public static final Set<String> RESERVED_TYPES = Set.of("ready", "reset");

    private EventFields() {
    }

    /** Whether the text holds a line break of any kind (SSE's or Unicode's) or another control character. */
    public static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }
}
