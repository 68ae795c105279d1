package io.ssehub.cluster;

import io.ssehub.hub.EventId;
import io.ssehub.hub.Frame;
import io.ssehub.hub.Subscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Fills the gap an outage left in this node's {@link LiveFeed}, without closing a stream: once the
 * pub/sub connection works again, it joins every channel again, reads from Redis's history what
 * was published after the feed's watermark on the topics this node listens to, and delivers it in
 * order before the live events held meanwhile. Where history no longer covers the gap (trimmed,
 * or Redis restarted empty or went back and is in a new epoch) the topic's subscribers get
 * {@code event: reset} first, then what is left. Streams are closed ({@code mustClose}, so their
 * clients resume by id) only where a reset cannot serve: all of them after a gap too large to hold,
 * and the streams of topic selectors when the cross-topic index no longer covers their gap (a reset
 * names one topic). In another epoch the topic streams got their resets and stay open.
 *
 * <p>Runs on the backplane's own single thread, one run at a time; requests made while one runs
 * start another after it. A run that fails (Redis away again) leaves the feed holding; the next
 * recovery requests another.
 */
final class Resync {

    private static final Logger log = LoggerFactory.getLogger(Resync.class);

    /** What Resync needs of the broker's connections. */
    interface Backplane {
        /** The topics this node listens to. */
        List<String> topics();

        /** Joins every channel of this node again and waits; Redis may have forgotten them. */
        void rejoin();

        /**
         * Moves Redis to a new epoch if it is still in {@code seen}'s with a lower seq; returns the
         * epoch now in force.
         */
        String newEpoch(EventId seen);
    }

    private final LiveFeed feed;
    private final HistoryReader history;
    private final Backplane backplane;
    private final ExecutorService thread;
    /** Closes the node's streams whose subscriber the predicate selects. */
    private final Consumer<Predicate<Subscriber>> mustClose;
    private final AtomicBoolean requested = new AtomicBoolean();

    Resync(LiveFeed feed, HistoryReader history, Backplane backplane, ExecutorService thread,
           Consumer<Predicate<Subscriber>> mustClose) {
        this.feed = feed;
        this.history = history;
        this.backplane = backplane;
        this.thread = thread;
        this.mustClose = mustClose;
    }

    /** Asks for a run, unless one is waiting to start already. Any thread. */
    void request() {
        if (requested.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    requested.set(false);
                    run();
                });
            } catch (RejectedExecutionException stopping) {
                requested.set(false);
            }
        }
    }

    /** One run at a time: the backplane has more than one thread. */
    private synchronized void run() {
        if (!feed.holding()) {
            return;
        }
        try {
            backplane.rejoin();
            List<String> topics = new ArrayList<>(backplane.topics());
            // Subscribers of topic selectors need every topic's events: the index has them all.
            boolean everywhere = topics.remove(RedisKeys.EVERYWHERE);
            EventId from = feed.position();
            History read = read(everywhere, topics, from == null ? -1 : from.seq());
            if (from != null && read.epoch().equals(from.epoch()) && read.current() < from.seq()) {
                log.warn("Redis is back with fewer events than this node saw ({} of {}): starting a new epoch",
                        read.current(), from);
                backplane.newEpoch(from);
                read = read(everywhere, topics, 0);
            }
            Predicate<Subscriber> lost = null;
            if (from == null || read.epoch().isEmpty()) {
                // Nothing seen yet, or Redis is empty and no epoch began: the first event that
                // arrives names the epoch, and a change of epoch brings this back.
            } else if (!read.epoch().equals(from.epoch())) {
                if (everywhere && !from.epoch().equals(LiveFeed.NO_EPOCH)) {
                    closeSelectorStreams(); // the topic streams are told with a reset
                }
                fillFromAnotherEpoch(topics, from, read);
            } else if (everywhere) {
                // A reset names a topic, and a selector may match many: a selector stream that
                // lost events is closed instead, and its client's resume announces the reset.
                // The topics' own histories were not read, so their streams cannot be told what they
                // lost either: they are closed too, and their clients' resumes say it.
                if (read.lostAfter(RedisKeys.EVERYWHERE, from.seq())) {
                    lost = subscriber -> true;
                }
                feed.replay(read);
            } else {
                fill(topics, from, read);
            }
            if (lost != null) {
                log.warn("history no longer covers the gap for subscribers of topic selectors; closing their streams"
                        + " with the topic streams so their clients resume by id");
            }
            switch (feed.release()) {
                case DONE -> {
                    log.info("caught up with Redis after {}", from);
                    if (lost != null) {
                        mustClose.accept(lost);
                    }
                }
                case AGAIN -> {
                    if (lost != null) {
                        mustClose.accept(lost);
                    }
                    request();
                }
                case GAVE_UP -> {
                    log.warn("more was published during the outage than this node could hold; closing its streams"
                            + " so their clients resume by id");
                    mustClose.accept(subscriber -> true);
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not catch up with Redis yet: {}", e.toString());
        }
    }

    /**
     * Another epoch, and a reset names one topic while a selector may match many: the streams of
     * topic selectors are closed, and their clients' resumes by id announce the reset. They are
     * taken off the hub first, before anything of the new epoch (a reset included) is delivered: a
     * client sent an event of the new epoch would resume after it, and a resume from an id of the
     * new epoch is no reset, so it would never learn what was lost. Closing them then needs no
     * particular moment (they get nothing more), and a run that fails later leaves none open.
     */
    private void closeSelectorStreams() {
        Set<Subscriber> detached = feed.detachSelectors();
        log.warn("Redis is in another epoch: closing the {} streams of topic selectors so their clients resume by id"
                + " and are told of the reset", detached.size());
        mustClose.accept(detached::contains);
    }

    private History read(boolean everywhere, List<String> topics, long after) {
        return everywhere ? history.readEverywhere(after) : history.read(topics, after);
    }

    /** Same epoch: replay what history holds after the watermark; reset where it lost some. */
    private void fill(List<String> topics, EventId from, History read) {
        for (String topic : topics) {
            if (read.lostAfter(topic, from.seq())) {
                Frame oldest = read.oldest(topic);
                feed.reset(topic, from, oldest == null ? null : read.idOf(oldest), new EventId(read.idEpoch(),
                        oldest == null ? read.current() : oldest.seq() - 1));
            }
        }
        feed.replay(read);
    }

    /**
     * Another epoch: nothing of the old one can be replayed under its ids. Every topic is reset
     * (unless Redis had no epoch yet, so no event was lost), then replays the new epoch's events.
     */
    private void fillFromAnotherEpoch(List<String> topics, EventId from, History read) {
        if (!from.epoch().equals(LiveFeed.NO_EPOCH)) {
            for (String topic : topics) {
                Frame oldest = read.oldest(topic);
                feed.reset(topic, from, oldest == null ? null : read.idOf(oldest), new EventId(read.idEpoch(),
                        oldest == null ? read.current() : oldest.seq() - 1));
            }
        }
        feed.enterEpoch(new EventId(read.idEpoch(), 0));
        feed.replay(read);
    }
}
