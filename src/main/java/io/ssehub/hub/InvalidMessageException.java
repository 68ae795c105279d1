package io.ssehub.hub;

/**
 * A message that breaks one of the {@link PublishRules}: nothing was published. The detail names
 * the field as {@code POST /publish} does ({@code topic}, {@code msg}, {@code event},
 * {@code retry}) and never echoes a long value; each front end renders it its own way (the HTTP
 * front end as a problem whose status and type follow from {@link #rule()}).
 */
public final class InvalidMessageException extends IllegalArgumentException {

    /** Which rule was broken. */
    public enum Rule {
        /** {@code topic} or {@code msg} is missing or empty. */
        REQUIRED,
        /** The topic is outside the seed syntax or too long. */
        TOPIC,
        /** The event type is empty, too long, spans lines or is one the hub sends itself. */
        EVENT,
        /** The reconnection delay is out of range. */
        RETRY,
        /** A batch is empty or carries more messages than allowed. */
        BATCH
    }

    private final Rule rule;
    private final String field;
    private final int index;

    InvalidMessageException(Rule rule, String field, String detail) {
        this(rule, field, detail, -1);
    }

    private InvalidMessageException(Rule rule, String field, String detail, int index) {
        super(detail);
        this.rule = rule;
        this.field = field;
        this.index = index;
    }

    /** The same violation found in item {@code index} of a batch, its detail starting {@code item <index>: }. */
    public InvalidMessageException at(int index) {
        return new InvalidMessageException(rule, field, "item " + index + ": " + getMessage(), index);
    }

    public Rule rule() {
        return rule;
    }

    /** The field at fault: {@code topic}, {@code msg}, {@code event}, {@code retry}, or {@code batch}. */
    public String field() {
        return field;
    }

    /** The position of the bad item in its batch, or -1 outside a batch. */
    public int index() {
        return index;
    }
}
