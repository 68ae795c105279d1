package io.ssehub.http;

import io.ssehub.hub.PublishRules;

import java.util.Set;

/**
 * The rules every front end applies to a publisher's text that becomes an {@code event:} or
 * {@code id:} line: one line, no control character, and not a type the hub sends itself. Defined
 * once in {@link PublishRules}, which the Java API applies too.
 */
public final class EventFields {

    public static final int MAX_TYPE_LENGTH = PublishRules.MAX_TYPE_LENGTH;
    /** Event types the hub itself sends; a publisher may not forge them. */
    public static final Set<String> RESERVED_TYPES = PublishRules.RESERVED_TYPES;

    private EventFields() {
    }

    /** Whether the text holds a line break of any kind (SSE's or Unicode's) or another control character. */
    public static boolean hasControl(String text) {
        return PublishRules.hasControl(text);
    }
}
