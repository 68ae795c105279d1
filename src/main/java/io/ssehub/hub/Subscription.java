package io.ssehub.hub;

import java.util.List;

/**
 * What a new subscriber must be sent before its live frames.
 *
 * @param reset       not {@code null} when history no longer covers what the client asked for
 * @param replay      retained frames after the start position, oldest first
 * @param startsAfter the id the stream continues after, for the {@code Last-Event-ID} response
 *                    header and, after a reset, the reset event's own id
 */
public record Subscription(Reset reset, List<Frame> replay, String startsAfter) {

    /**
     * The same subscription replaying only what the subscriber accepts: a replay never gives a
     * client what it could not have received live (a private update, say).
     */
    public Subscription onlyWhat(Subscriber subscriber) {
        if (replay.stream().allMatch(frame -> subscriber.accepts(frame.message()))) {
            return this;
        }
        return new Subscription(reset, replay.stream().filter(frame -> subscriber.accepts(frame.message())).toList(),
                startsAfter);
    }

    /**
     * Part of what the client missed is gone.
     *
     * @param requested       the id the client asked to resume after, as sent
     * @param oldestAvailable the oldest id replayed now, or {@code null} if none is retained
     */
    public record Reset(String requested, String oldestAvailable) {
    }
}
