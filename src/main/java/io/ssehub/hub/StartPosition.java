package io.ssehub.hub;

/** Where a new subscription starts. */
public sealed interface StartPosition {

    /** Only events published from now on. */
    StartPosition LIVE = new Live();

    /** Every retained event, then live. */
    StartPosition EARLIEST = new Earliest();

    /** Every retained event after the given id (as the client sent it), then live. */
    static StartPosition after(String lastEventId) {
        return new After(lastEventId);
    }

    record Live() implements StartPosition {
    }

    record Earliest() implements StartPosition {
    }

    record After(String lastEventId) implements StartPosition {
    }
}
