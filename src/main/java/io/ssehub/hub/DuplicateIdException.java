package io.ssehub.hub;

/**
 * A publisher-chosen event id that cannot be used: a retained event already has it, or it has the
 * form of the hub's own ids ({@link Hub#isReserved}), which a client resuming with it would then
 * confuse with another event. Nothing was published.
 */
public final class DuplicateIdException extends IllegalArgumentException {

    private final boolean reserved;

    public DuplicateIdException(boolean reserved) {
        super(reserved ? "the id has the form of the hub's own ids" : "an event with this id already exists");
        this.reserved = reserved;
    }

    /** Whether the id has the form of the hub's own ids, rather than being taken by another event. */
    public boolean reserved() {
        return reserved;
    }
}
