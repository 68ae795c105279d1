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
 * clients resume by id) only where a reset cannot serve (a reset names one topic, and a selector
 * may match many): all of them after a gap too large to hold, or when the cross-topic index no
 * longer covers the gap of a node with streams of topic selectors; in another epoch, the streams of
 * topic selectors only, while the topic streams get their resets and stay open. Streams to be closed
 * are taken off the hub before anything after the gap is delivered, so they end with nothing their
 * clients could resume after.
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
            if (from == null || read.epoch().isEmpty()) {
                // Nothing seen yet, or Redis is empty and no epoch began: the first event that
                // arrives names the epoch, and a change of epoch brings this back.
            } else if (!read.epoch().equals(from.epoch())) {
                if (everywhere && !from.epoch().equals(LiveFeed.NO_EPOCH)) {
                    // A reset names one topic, and a selector may match many.
                    close(Subscriber::everywhere, "Redis is in another epoch: closing the {} streams of topic selectors"
                            + " so their clients resume by id and are told of the reset");
                }
                fillFromAnotherEpoch(topics, from, read);
            } else if (everywhere) {
                // A reset names a topic, and a selector may match many: a selector stream that
                // lost events is closed instead, and its client's resume announces the reset.
                // The topics' own histories were not read, so their streams cannot be told what they
                // lost either: they are closed too, and their clients' resumes say it.
                if (read.lostAfter(RedisKeys.EVERYWHERE, from.seq())) {
                    close(subscriber -> true, "history no longer covers the gap for subscribers of topic selectors:"
                            + " closing the {} streams of this node so their clients resume by id");
                }
                feed.replay(read);
            } else {
                fill(topics, from, read);
            }
            LiveFeed.Release released = feed.release();
            switch (released.outcome()) {
                case DONE -> log.info("caught up with Redis after {}", from);
                case AGAIN -> request();
                case GAVE_UP -> {
                    log.warn("more was published during the outage than this node could hold; closing its {} streams"
                            + " so their clients resume by id", released.detached().size());
                    mustClose.accept(released.detached()::contains);
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not catch up with Redis yet: {}", e.toString());
        }
    }

    /**
     * Closes the streams of the subscribers {@code which} selects, whose gap neither a replay nor a
     * reset can fill, so that their clients' resumes by id announce what was lost. They are taken
     * off the hub first, before anything after the gap (a reset included) is delivered: a client
     * sent an event after the gap would resume after it, and never learn what was lost. Closing
     * them then needs no particular moment (they get nothing more), and a run that fails later
     * leaves none open. A stream opened after this (a client already back) is not closed.
     */
    private void close(Predicate<Subscriber> which, String why) {
        Set<Subscriber> detached = feed.detach(which);
        log.warn(why, detached.size());
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
