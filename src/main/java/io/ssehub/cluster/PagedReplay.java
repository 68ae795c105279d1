package io.ssehub.cluster;

import io.ssehub.hub.EventId;
import io.ssehub.hub.Frame;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Subscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The rest of one subscriber's resume after its first page, handed to its stream a page at a time
 * ({@link Subscriber#replayInPages}): the stream asks for the next page when it has written the one
 * before, so however long the gap, a resuming stream holds about one page ({@link HistoryReader}'s
 * page limits) and a client that reads slowly only slows its own replay.
 *
 * <p>The replay ends at the seq Redis had issued when the first page was read ({@code through}):
 * every later event reaches the subscriber live, queued behind the replay, so nothing comes twice
 * and nothing is missed. Where Redis forgets part of the gap before the replay reaches it (history
 * limits, or a new epoch), a topic stream gets {@code event: reset} in its place, as at the start
 * of a resume; a stream of topic selectors, whose reset could not name a topic, is closed instead,
 * and so is any stream whose next page Redis does not give: its client resumes after what it got.
 *
 * <p>Threading: {@link #next} runs on the stream's writer and only sends the command; the page is
 * parsed and handed over on the backplane's own threads. One page is asked for at a time, and the
 * stream's hand-over orders each answer before the next ask.
 */
final class PagedReplay implements Subscriber.Pages {

    private static final Logger log = LoggerFactory.getLogger(PagedReplay.class);

    /** The bytes every replay of a node holds now, and the most it held at once. Thread-safe. */
    static final class Held {
        private final AtomicLong now = new AtomicLong();
        private final AtomicLong peak = new AtomicLong();

        void add(long bytes) {
            long held = now.addAndGet(bytes);
            peak.accumulateAndGet(held, Math::max);
        }

        void release(long bytes) {
            now.addAndGet(-bytes);
        }

        /** Bytes of history pages that resuming streams hold now (read, not yet written). */
        long now() {
            return now.get();
        }

        /** The most {@link #now} has been since the node started. */
        long peak() {
            return peak.get();
        }
    }

    private final Hub hub;
    private final Subscriber subscriber;
    /** Reads the page after a seq, up to {@code through}, for the subscriber's topics (or every topic). */
    private final LongFunction<CompletionStage<HistoryReader.Page>> pageAfter;
    private final boolean everywhere;
    private final String epoch;
    /** Where the replay ends: later events reach the subscriber live. */
    private final long through;
    private final Held held;
    private final Object lock = new Object();
    /** The last seq read; the next page starts after it. */
    private long cursor;
    private boolean more;
    /** Bytes of the page handed over last, released when the stream asks for the next. */
    private long holding;
    private boolean closed;

    /**
     * @param pageAfter reads the page after a seq and at most the first page's current seq
     * @param first     the first page; the replay ends at its current seq
     * @param sent      what of it went out with the stream's preamble: held until the stream asks
     *                  for the next page
     */
    PagedReplay(Hub hub, Subscriber subscriber, LongFunction<CompletionStage<HistoryReader.Page>> pageAfter,
                boolean everywhere, HistoryReader.Page first, List<Frame> sent, Held held) {
        this.through = first.history().current();
        this.hub = hub;
        this.subscriber = subscriber;
        this.pageAfter = pageAfter;
        this.everywhere = everywhere;
        this.epoch = first.history().epoch();
        this.held = held;
        this.cursor = first.last();
        this.more = first.more();
        this.holding = bytes(sent);
        held.add(holding);
    }

    @Override
    public void next() {
        long from;
        synchronized (lock) {
            held.release(holding);
            holding = 0;
            if (closed) {
                return;
            }
            if (!more) {
                subscriber.page(List.of(), true);
                return;
            }
            from = cursor;
        }
        pageAfter.apply(from).whenComplete((page, error) -> {
            if (error != null) {
                log.info("could not read the next page of a resume ({}): closing its stream so its client resumes",
                        error.toString());
                subscriber.pageFailed();
            } else {
                received(from, page);
            }
        });
    }

    /** On the backplane's thread: the page after {@code from}, checked for a loss, handed over. */
    private void received(long from, HistoryReader.Page page) {
        History read = page.history();
        boolean otherEpoch = !read.epoch().equals(epoch);
        boolean lost = otherEpoch;
        for (String topic : read.trimmed().keySet()) {
            lost |= read.lostAfter(topic, from);
        }
        if (lost && everywhere) {
            log.info("history lost part of a selector stream's resume while it was sent: closing it so its client"
                    + " resumes with a reset");
            subscriber.pageFailed();
            return;
        }
        List<Frame> frames = new ArrayList<>(read.frames().size() + 1);
        if (lost) {
            Frame oldest = otherEpoch || read.frames().isEmpty() ? null : read.frames().get(0);
            frames.add(hub.resetFrame(subscriber.topics().get(0), new EventId(idEpoch(epoch), from),
                    oldest == null ? null : read.idOf(oldest),
                    new EventId(read.idEpoch(), oldest == null ? through : oldest.seq() - 1)));
        }
        if (!otherEpoch) {
            for (Frame frame : read.frames()) {
                if (subscriber.accepts(frame.message())) {
                    frames.add(frame);
                }
            }
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            cursor = page.last();
            more = page.more() && !otherEpoch;
            holding = bytes(frames);
            held.add(holding);
        }
        hub.observeResume(false, frames.size() - (lost ? 1 : 0), false);
        subscriber.page(frames, false);
    }

    /** The subscriber left: whatever it held is released, and a page still coming is dropped. */
    void close() {
        synchronized (lock) {
            closed = true;
            held.release(holding);
            holding = 0;
        }
    }

    private static String idEpoch(String epoch) {
        return epoch.isEmpty() ? LiveFeed.NO_EPOCH : epoch;
    }

    private static long bytes(List<Frame> frames) {
        long bytes = 0;
        for (Frame frame : frames) {
            bytes += frame.heapBytes();
        }
        return bytes;
    }
}
