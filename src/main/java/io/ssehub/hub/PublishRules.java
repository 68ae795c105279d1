package io.ssehub.hub;

import java.util.Set;

/**
 * What a publisher's message must be before it reaches a {@link Broker}: the one definition that
 * {@code POST /publish} and the Java API ({@code io.ssehub.api}) both apply, field by field in the
 * order {@code topic}, {@code msg}, topic syntax, {@code event}, {@code retry}. The hub itself
 * accepts any non-empty topic and any type; these are the publishing front ends' stricter rules.
 * Every failure is an {@link InvalidMessageException} naming the field.
 *
 * <ul>
 *   <li>{@code topic}: 1 to {@code maxTopicLength} characters of {@code [A-Za-z0-9._~:@-]};</li>
 *   <li>{@code msg}: any non-empty text (line breaks become several {@code data:} lines);</li>
 *   <li>{@code event}: absent, or 1 to {@value #MAX_TYPE_LENGTH} characters without line breaks
 *       or other control characters, and not one of the {@link #RESERVED_TYPES};</li>
 *   <li>{@code retry}: absent, or 0 to {@value #MAX_RETRY_MILLIS} milliseconds;</li>
 *   <li>a batch: 1 to {@code maxBatch} messages.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class PublishRules {

    public static final int MAX_TYPE_LENGTH = 64;
    /** Event types the hub itself sends; a publisher may not forge them. */
    public static final Set<String> RESERVED_TYPES = Set.of("ready", "reset");
    /** The longest reconnection delay a message may ask for: a day. */
    public static final long MAX_RETRY_MILLIS = 86_400_000L;

    private final int maxTopicLength;
    private final int maxBatch;

    /**
     * @param maxTopicLength the longest topic ({@code ssehub.topic.maxLength})
     * @param maxBatch       the most messages one batch may carry ({@code ssehub.publish.maxBatch})
     */
    public PublishRules(int maxTopicLength, int maxBatch) {
        this.maxTopicLength = maxTopicLength;
        this.maxBatch = maxBatch;
    }

    public int maxTopicLength() {
        return maxTopicLength;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * The message, every field checked.
     *
     * @param event the event type, or {@code null} for the default {@code message}
     * @param retry the reconnection delay in milliseconds, or {@code null}
     */
    public Message message(String topic, String msg, String event, Long retry) {
        required(topic, "topic");
        required(msg, "msg");
        topic(topic);
        return new Message(topic, msg, eventType(event), retry(retry));
    }

    /** Returns the topic unchanged if its syntax and length are valid. */
    public String topic(String topic) {
        return topic(topic, maxTopicLength);
    }

    /** Returns the count if a batch may carry that many messages. */
    public int batchSize(int count) {
        if (count < 1 || count > maxBatch) {
            throw new InvalidMessageException(InvalidMessageException.Rule.BATCH, "batch",
                    "a batch carries 1 to " + maxBatch + " messages, this one " + count);
        }
        return count;
    }

    /** Returns the value if present and not empty. */
    public static String required(String value, String field) {
        if (value == null) {
            throw new InvalidMessageException(InvalidMessageException.Rule.REQUIRED, field, "\"" + field + "\" is required");
        }
        if (value.isEmpty()) {
            throw new InvalidMessageException(InvalidMessageException.Rule.REQUIRED, field,
                    "\"" + field + "\" must not be empty");
        }
        return value;
    }

    /** Returns the topic unchanged if it is 1 to {@code maxLength} characters of the seed syntax. */
    public static String topic(String topic, int maxLength) {
        if (topic == null || topic.isEmpty()) {
            throw badTopic("the topic must not be empty");
        }
        if (topic.length() > maxLength) {
            throw badTopic("the topic is longer than " + maxLength + " characters"); // never echoes it
        }
        for (int i = 0; i < topic.length(); i++) {
            if (!topicChar(topic.charAt(i))) {
                throw badTopic("a topic may only contain A-Z a-z 0-9 . _ ~ : @ -");
            }
        }
        return topic;
    }

    /** Returns the event type unchanged if it is absent ({@code null}) or valid. */
    public static String eventType(String type) {
        if (type == null) {
            return null;
        }
        if (type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
            throw badEvent("\"event\" must be 1 to " + MAX_TYPE_LENGTH + " characters");
        }
        if (hasControl(type)) {
            throw badEvent("\"event\" must not contain line breaks or control characters");
        }
        if (RESERVED_TYPES.contains(type)) {
            throw badEvent("\"event\" may not be \"" + type + "\": the hub sends that type itself");
        }
        return type;
    }

    /** Returns the delay unchanged if it is absent ({@code null}) or in range. */
    public static Long retry(Long millis) {
        if (millis != null && (millis < 0 || millis > MAX_RETRY_MILLIS)) {
            throw new InvalidMessageException(InvalidMessageException.Rule.RETRY, "retry",
                    "\"retry\" must be 0 to " + MAX_RETRY_MILLIS + " milliseconds");
        }
        return millis;
    }

    /**
     * Whether text meant for an {@code event:} or {@code id:} line holds a line break of any kind
     * (SSE's or Unicode's) or another control character.
     */
    public static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private static boolean topicChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '~' || c == ':' || c == '@' || c == '-';
    }

    private static InvalidMessageException badTopic(String detail) {
        return new InvalidMessageException(InvalidMessageException.Rule.TOPIC, "topic", detail);
    }

    private static InvalidMessageException badEvent(String detail) {
        return new InvalidMessageException(InvalidMessageException.Rule.EVENT, "event", detail);
    }
}
