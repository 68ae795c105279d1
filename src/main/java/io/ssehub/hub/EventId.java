package io.ssehub.hub;

import java.util.Optional;

/**
 * An event id: {@code <epoch>-<seq>}, for example {@code mi3k2x1a-42}.
 *
 * <p>The epoch names one run of the hub (its start time in base 36), so an id from before a
 * restart is recognised as foreign instead of being confused with a new event; the sequence is
 * hub-wide and strictly increasing in publish order. Clients treat ids as opaque strings.
 *
 * @param epoch the run that issued the id
 * @param seq   the position in that run, from 1
 */
public record EventId(String epoch, long seq) {

    @Override
    public String toString() {
        return epoch + "-" + seq;
    }

    /** Parses an id; empty for anything that is not {@code <epoch>-<digits>}. */
    public static Optional<EventId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1 || text.length() - dash > 19) {
            return Optional.empty();
        }
        long seq = 0;
        for (int i = dash + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            seq = seq * 10 + (c - '0');
        }
        return Optional.of(new EventId(text.substring(0, dash), seq));
    }
}
