package io.ssehub.cluster;

import io.ssehub.hub.EventId;
import io.ssehub.hub.Frame;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Message;
import io.ssehub.hub.Subscriber;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The events this node hands its hub, in the one order Redis sequenced them, each once.
 *
 * <p>All of a node's channels share one pub/sub connection, on which Redis sends messages in the
 * order its scripts ran, so the last event delivered (the <em>watermark</em>) says what this node
 * has seen: on every channel it listens to, everything up to it. An event at or below it (a
 * replayed one arriving live, an update published on several channels) is skipped.
 *
 * <p>While the connection is in doubt (lost, or not answering pings) the feed <em>holds</em>: live
 * events are kept back, up to {@link #MAX_HELD} of them and {@link #MAX_HELD_CHARS} characters of
 * data, until {@link Resync} has replayed the gap from
 * history; they then follow it, above the watermark only. A gap the feed could not hold is given
 * up on ({@link #release} reports it, and takes every subscriber off the hub as it goes live), and
 * their streams must be closed so clients resume by id.
 * An event of another epoch than the watermark's (Redis restarted, or moved to a new epoch after
 * losing events) also starts holding, for {@link Resync} to announce what is lost.
 *
 * <p>Threading: {@link #received} runs on Lettuce's event loop and only encodes and enqueues (the
 * hub's fan-out); {@link #hold}, {@link #replay} and {@link #release} run on the backplane's own
 * threads. One lock orders them.
 */
final class LiveFeed {

    static final int MAX_HELD = 100_000;
    /** The data held back at most, in characters: events may be large, and memory is not. */
    static final long MAX_HELD_CHARS = 16L << 20;
    /** The epoch of ids issued before Redis has one (nothing published since it started empty). */
    static final String NO_EPOCH = "none";

    /** What {@link #release} did. */
    enum Outcome {
        /** Every event held was delivered (or skipped as seen); the feed is live. */
        DONE,
        /** A held event belongs to yet another epoch: it and those after it are still held. */
        AGAIN,
        /**
         * More was published than could be held: the feed is live, but events were missed, and
         * every subscriber it had was taken off the hub first.
         */
        GAVE_UP
    }

    /**
     * What {@link #release} did, and the subscribers it took off the hub when it gave up (empty
     * otherwise), whose streams must be closed.
     */
    record Release(Outcome outcome, Set<Subscriber> detached) {

        static final Release DONE = new Release(Outcome.DONE, Set.of());
        static final Release AGAIN = new Release(Outcome.AGAIN, Set.of());
    }

    /** One channel message. */
    record Event(String token, EventId id, Message message) {
    }

    private final Hub hub;
    private final Object lock = new Object();
    /** The epoch and seq of the last event delivered; {@code null} before the first. */
    private EventId watermark;
    /**
     * A position below which every event was handled although none was delivered live: the
     * smallest position read by a subscriber's resume since the last delivery.
     */
    private EventId floor;
    private boolean holding;
    private boolean heldTooMuch;
    private long heldChars;
    private final ArrayDeque<Event> held = new ArrayDeque<>();

    LiveFeed(Hub hub) {
        this.hub = hub;
    }

    /**
     * Delivers a live event, or keeps it back while holding.
     *
     * @return how many local subscribers' queues took it: 0 when skipped or held
     */
    int received(Event event) {
        synchronized (lock) {
            if (holding) {
                if (held.size() < MAX_HELD && heldChars + event.message().data().length() <= MAX_HELD_CHARS) {
                    hold(event);
                } else {
                    heldTooMuch = true;
                }
                return 0;
            }
            if (!sameEpoch(event.id())) {
                // Redis is in another epoch: whatever this node missed of the old one is
                // worked out from history, as after an outage; the caller starts a Resync.
                holding = true;
                hold(event);
                return -1;
            }
            return deliver(event.id(), event.message());
        }
    }

    /**
     * Whether the event belongs to the epoch of the watermark, or before any delivery of the floor:
     * a resume read Redis in that epoch, so an event of another one means events were lost. Any
     * epoch follows {@code none} (Redis was empty: the first publish began the epoch).
     */
    private boolean sameEpoch(EventId id) {
        EventId seen = watermark != null ? watermark : floor;
        return seen == null || seen.epoch().equals(id.epoch()) || seen.epoch().equals(NO_EPOCH);
    }

    private int deliver(EventId id, Message message) {
        if (watermark != null && watermark.epoch().equals(id.epoch()) && id.seq() <= watermark.seq()) {
            return 0;
        }
        watermark = id;
        floor = null;
        return hub.deliver(id, message);
    }

    private void hold(Event event) {
        held.add(event);
        heldChars += event.message().data().length();
    }

    /** Keeps live events back from now on; returns whether it was not holding already. */
    boolean hold() {
        synchronized (lock) {
            boolean was = holding;
            holding = true;
            return !was;
        }
    }

    boolean holding() {
        synchronized (lock) {
            return holding;
        }
    }

    /** A subscriber's resume read Redis at {@code position}: everything before it was handled. */
    void resumedAt(EventId position) {
        synchronized (lock) {
            if (watermark == null && (floor == null || !floor.epoch().equals(position.epoch())
                    || position.seq() < floor.seq())) {
                floor = position;
            }
        }
    }

    /** The position the gap starts after: the watermark, else the floor, else {@code null}. */
    EventId position() {
        synchronized (lock) {
            return watermark != null ? watermark : floor;
        }
    }

    /**
     * Delivers replayed frames, in seq order, above the watermark. The lock is taken per frame, so
     * a long replay never keeps Lettuce's thread waiting in {@link #received} (which, holding, only
     * queues).
     */
    void replay(History read) {
        for (Frame frame : read.frames()) {
            synchronized (lock) {
                deliver(read.idOf(frame), frame.message());
            }
        }
    }

    /** Announces a reset on a topic, in order with the deliveries around it. */
    void reset(String topic, EventId lastDelivered, EventId oldest, EventId resetAt) {
        synchronized (lock) {
            hub.announceReset(topic, lastDelivered, oldest, resetAt);
        }
    }

    /**
     * Takes the subscribers {@code which} selects off the hub, in order with the deliveries around
     * it: none is offered an event delivered after this, and one registered after it is offered
     * what follows. Returns them, for their streams to be closed.
     */
    Set<Subscriber> detach(Predicate<Subscriber> which) {
        synchronized (lock) {
            return hub.unsubscribeAll(which);
        }
    }

    /** Moves the watermark to a new epoch (before replaying it): what came before is not comparable. */
    void enterEpoch(EventId start) {
        synchronized (lock) {
            watermark = start;
            floor = null;
        }
    }

    /** Stops holding: delivers what was kept back, above the watermark, as far as it can. */
    Release release() {
        synchronized (lock) {
            if (heldTooMuch) {
                held.clear();
                heldChars = 0;
                heldTooMuch = false;
                holding = false;
                watermark = null;
                floor = null;
                // In the same step as the feed goes live: a subscriber offered a live event after
                // the dropped ones would resume after it and never learn of them.
                return new Release(Outcome.GAVE_UP, hub.unsubscribeAll(subscriber -> true));
            }
            while (!held.isEmpty()) {
                Event event = held.peek();
                if (!sameEpoch(event.id())) {
                    return Release.AGAIN;
                }
                held.poll();
                heldChars -= event.message().data().length();
                deliver(event.id(), event.message());
            }
            holding = false;
            return Release.DONE;
        }
    }
}
