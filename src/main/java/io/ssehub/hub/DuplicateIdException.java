package io.ssehub.hub;

/** A publisher-chosen event id that a retained event already has; nothing was published. */
public final class DuplicateIdException extends IllegalArgumentException {

    public DuplicateIdException(String id) {
        super("an event with this id already exists");
    }
}
