package io.ssehub.cluster;

import io.ssehub.hub.EventId;
import io.ssehub.hub.Frame;
import io.ssehub.hub.StartPosition;
import io.ssehub.hub.Subscription;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Redis held for some topics after a position, as {@link HistoryReader} read it.
 *
 * @param epoch   the epoch in force, {@code ""} before the first publish
 * @param current the newest seq issued
 * @param frames  the retained events after the position, oldest first, each once
 * @param trimmed per topic, the highest seq forgotten (by a limit, or with the whole topic)
 * @param known   per topic, whether Redis has published on it within twice the history age
 */
record History(String epoch, long current, List<Frame> frames, Map<String, Long> trimmed, Map<String, Boolean> known) {

    /** The epoch as ids carry it: {@code none} before the first publish. */
    String idEpoch() {
        return epoch.isEmpty() ? "none" : epoch;
    }

    /** The hub's id of a frame read here, whatever id it carries on the wire (a publisher's own, perhaps). */
    EventId idOf(Frame frame) {
        return new EventId(idEpoch(), frame.seq());
    }

    /** Whether events of the topic published after {@code after} are gone. */
    boolean lostAfter(String topic, long after) {
        return trimmed.getOrDefault(topic, 0L) > after;
    }

    /** The oldest retained frame of the topic, or {@code null}. */
    Frame oldest(String topic) {
        for (Frame frame : frames) {
            if (frame.topic().equals(topic)) {
                return frame;
            }
        }
        return null;
    }

    /** Where a new subscriber starts, and what it is sent first. */
    Subscription subscription(StartPosition from, Optional<EventId> requested) {
        String position = new EventId(idEpoch(), current).toString();
        if (from instanceof StartPosition.Live) {
            return new Subscription(null, List.of(), position);
        }
        if (from instanceof StartPosition.Earliest) {
            return new Subscription(null, frames, "earliest");
        }
        String text = ((StartPosition.After) from).lastEventId();
        boolean sameRun = requested.isPresent() && requested.get().epoch().equals(epoch);
        long after = sameRun ? requested.get().seq() : 0;
        boolean gap = !sameRun || after > current;
        for (String topic : trimmed.keySet()) {
            gap |= lostAfter(topic, after) || (!known.get(topic) && after < current);
        }
        if (!gap) {
            return new Subscription(null, frames, text);
        }
        String oldest = frames.isEmpty() ? null : frames.get(0).id();
        long resetSeq = frames.isEmpty() ? current : frames.get(0).seq() - 1;
        return new Subscription(new Subscription.Reset(text, oldest), frames,
                new EventId(idEpoch(), resetSeq).toString());
    }
}
