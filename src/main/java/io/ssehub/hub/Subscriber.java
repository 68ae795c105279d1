package io.ssehub.hub;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One consumer of one or several topics, with a bounded queue between the hub and whoever drains it.
 *
 * <p>Threading: the hub calls {@code offer} under its lock and {@code signal} after releasing it;
 * exactly one drainer at a time calls {@link #takeAll} (or {@link #drainTo}). Both sides are
 * thread-safe and lock-free. A full queue never blocks the hub: under
 * {@link OverflowPolicy#DROP} the frame is dropped and counted, and so is every frame after it
 * until the drainer has taken the {@link Gap}, which it reads back from what the broker retains
 * ({@link GapSource}) or else reports (a subscriber never loses silently); under
 * {@link OverflowPolicy#DISCONNECT} it is refused, the subscriber takes nothing more, and its sink
 * is told once through {@link Sink#overflowed()}.
 */
public final class Subscriber {

    /** Told when frames are waiting. Implementations must return quickly and never throw. */
    public interface Sink {
        /** Called on the publisher's thread, after the hub released its lock, when frames were queued. */
        void framesAvailable();

        /**
         * Called once, on the publisher's thread under the hub's lock, when a frame was refused
         * under {@link OverflowPolicy#DISCONNECT}: the sink should finish and close.
         */
        default void overflowed() {
        }

        /**
         * Called once, on a backplane's thread, when a replay handed over in pages could not go on
         * (the backplane stopped answering): the sink should close, so its client resumes after the
         * last event it got.
         */
        default void replayBroken() {
        }
    }

    /**
     * The rest of a replay, read a page at a time after the first page went out with the preamble
     * ({@link #replayInPages}). Whoever drains the subscriber asks for the next page only when it
     * has written the one before, so a resuming stream holds about one page however long its gap.
     */
    public interface Pages {
        /**
         * Reads the next page and hands it over with {@link #page} (or gives up with
         * {@link #pageFailed}), later, on another thread. Called by the drainer; returns at once.
         */
        void next();
    }

    /**
     * Reads back what a full queue dropped ({@link Gap}) from the events a broker retains, so that
     * the drainer can send the frames themselves instead of reporting their loss.
     */
    public interface GapSource {
        /**
         * The frames {@code subscriber} lost in {@code gap}, oldest first, exactly those; {@code null}
         * when not every one of them is still retained. Called by the subscriber's drainer.
         */
        List<Frame> retainedGap(Subscriber subscriber, Gap gap);
    }

    /** One page of a replay, waiting for the drainer; {@code last} ends the replay. */
    private record Page(List<Frame> frames, boolean last) {
    }

    private final List<String> topics;
    private final Predicate<Message> accepts;
    private final boolean everywhere;
    private final boolean tagged;
    /**
     * The queued frames, newest on top: the hub pushes while a writer takes them all at once, and
     * neither ever waits for the other. Bounded by {@link #queued}.
     *
     * <p>Why a stack and not a queue: a push is the only write of a new (young) object into this
     * long-lived one, and taking all is a write of {@code null}. A linked queue also moves its head
     * and tail, and a garbage collector with a card-marking write barrier (G1, the default) pays for
     * every such write into an old object: with 10,000 subscribers its refinement, largely of such
     * writes, took 15 % of the server's CPU (bench/RESULTS.md).
     */
    private volatile Queued top;
    /** Frames on {@link #top}, counted before a frame goes in and after it came out. */
    private volatile int queued;
    private final int capacity;
    private final Sink sink;
    private final OverflowPolicy policy;
    private volatile long dropped;
    /** Frames dropped and not yet reported to the subscriber (drop policy); {@code null} when none. */
    private volatile Gap gap;
    private volatile boolean overflowed;
    /** Frames up to this seq were replayed from history; a live copy of one of them is skipped. */
    private volatile long replayedThrough;
    /**
     * The rest of a replay still to be sent, a page at a time, before any queued frame; {@code null}
     * once the last page was taken (or there was none). Cleared by the drainer only.
     */
    private volatile Pages pages;
    /** The page read for the drainer and not yet taken. */
    private volatile Page page;
    /** The drainer asked for a page that has not come yet; the drainer's alone. */
    private boolean pageAsked;

    // The fields that change concurrently are updated through handles rather than held in atomic
    // objects: a subscriber lives as long as its stream, and five atomics were five more objects
    // (88 bytes) per stream.
    private static final VarHandle TOP;
    private static final VarHandle QUEUED;
    private static final VarHandle DROPPED;
    private static final VarHandle GAP;
    private static final VarHandle PAGE;

    static {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            TOP = lookup.findVarHandle(Subscriber.class, "top", Queued.class);
            QUEUED = lookup.findVarHandle(Subscriber.class, "queued", int.class);
            DROPPED = lookup.findVarHandle(Subscriber.class, "dropped", long.class);
            GAP = lookup.findVarHandle(Subscriber.class, "gap", Gap.class);
            PAGE = lookup.findVarHandle(Subscriber.class, "page", Page.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A subscriber of its topics that takes every update on them but restricted ones.
     *
     * @param tagged whether its frames name their topic (streams opened for a list of topics)
     */
    public Subscriber(List<String> topics, boolean tagged, int capacity, OverflowPolicy policy, Sink sink) {
        this(topics, false, PUBLIC_ONLY, tagged, capacity, policy, sink);
    }

    /**
     * A subscriber of its topics that takes the updates on them that {@code accepts} allows, live
     * and replayed alike (the front end's access decision: restricted updates for those whose
     * credential names their topic).
     */
    public Subscriber(List<String> topics, boolean tagged, Predicate<Message> accepts, int capacity,
                      OverflowPolicy policy, Sink sink) {
        this(topics, false, accepts, tagged, capacity, policy, sink);
    }

    /** Takes every update that is not restricted to authorised subscribers. */
    public static final Predicate<Message> PUBLIC_ONLY = message -> !message.restricted();

    /**
     * A subscriber that the hub considers for every update, whatever its topics (topic selectors
     * such as {@code *} or URI templates): {@code accepts} decides, including for restricted updates.
     */
    public static Subscriber matching(Predicate<Message> accepts, int capacity, OverflowPolicy policy, Sink sink) {
        return new Subscriber(List.of(), true, accepts, false, capacity, policy, sink);
    }

    private Subscriber(List<String> topics, boolean everywhere, Predicate<Message> accepts, boolean tagged,
                       int capacity, OverflowPolicy policy, Sink sink) {
        if (topics.isEmpty() && !everywhere) {
            throw new IllegalArgumentException("a subscriber needs at least one topic");
        }
        this.everywhere = everywhere;
        this.accepts = Objects.requireNonNull(accepts, "accepts");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.topics = List.copyOf(topics);
        this.tagged = tagged;
        this.capacity = capacity;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public Subscriber(String topic, int capacity, Sink sink) {
        this(List.of(topic), false, capacity, OverflowPolicy.DROP, sink);
    }

    public List<String> topics() {
        return topics;
    }

    /** Whether the hub offers it every update, leaving the choice to {@link #accepts}. */
    public boolean everywhere() {
        return everywhere;
    }

    /** Whether it may and wants to receive the update. */
    public boolean accepts(Message message) {
        return accepts.test(message);
    }

    /** Whether its frames name their topic (a stream opened for a list of topics). */
    public boolean tagged() {
        return tagged;
    }

    /** What became of one offered frame. */
    enum Offer {
        /** Queued for the stream. */
        QUEUED,
        /** Not queued: it was already sent from history. */
        REPLAYED,
        /** Dropped: the queue was full (drop policy). */
        QUEUE_FULL,
        /** Refused: the queue was full and the subscriber now takes nothing more (disconnect policy). */
        OVERFLOWED,
        /** Refused: the subscriber overflowed earlier under the disconnect policy. */
        REFUSED,
        /** Not for this subscriber: restricted, or not matching its selectors. */
        NOT_WANTED
    }

    /** Queues a frame if the subscriber wants it; the hub signals the sink after releasing its lock. */
    Offer offer(Frame frame) {
        return offer(frame, accepts.test(frame.message()));
    }

    /**
     * Queues a frame whose {@link #accepts} answer is already known (the hub matches selectors
     * before it takes its lock).
     */
    Offer offer(Frame frame, boolean wanted) {
        if (overflowed) {
            return Offer.REFUSED;
        }
        if (!wanted) {
            return Offer.NOT_WANTED;
        }
        if (frame.seq() <= replayedThrough) {
            return Offer.REPLAYED;
        }
        // While a gap is open, what follows it is dropped too: so the gap is one run of frames,
        // and the reset that reports it comes right before the next frame the subscriber gets.
        boolean counted = gap == null && (int) QUEUED.getAndAdd(this, 1) + 1 > 0;
        if (counted && queued <= capacity) {
            Queued node = new Queued(frame);
            Queued below;
            do {
                below = top;
                node.next = below;
            } while (!TOP.compareAndSet(this, below, node));
            return Offer.QUEUED;
        }
        if (counted) {
            QUEUED.getAndAdd(this, -1);
        }
        DROPPED.getAndAdd(this, 1L);
        if (policy == OverflowPolicy.DISCONNECT) {
            overflowed = true;
            sink.overflowed();
            return Offer.OVERFLOWED;
        }
        Gap open;
        do {
            open = gap;
        } while (!GAP.compareAndSet(this, open, open == null ? new Gap(frame, frame, 1) : open.through(frame)));
        return Offer.QUEUE_FULL;
    }

    /**
     * Frames dropped for a subscriber in one run, none delivered in between: what its stream tells
     * it in-band, before the next frame it gets.
     *
     * @param first the first frame lost
     * @param last  the last frame lost
     * @param count how many were lost
     */
    public record Gap(Frame first, Frame last, long count) {

        Gap through(Frame frame) {
            return new Gap(first, frame, count + 1);
        }
    }

    /**
     * Takes the gap not yet reported, or {@code null}: call it before {@link #takeAll()}. What that
     * then gives holds the frames queued before the gap (older than {@link Gap#first()}) and possibly
     * some queued after it was taken (newer than {@link Gap#last()}); the report belongs between them.
     * After this, frames are queued again.
     */
    public Gap takeGap() {
        // a gap is one of live frames, which come after the replay: it is reported after it too
        return pages != null || gap == null ? null : (Gap) GAP.getAndSet(this, (Gap) null);
    }

    /** Tells the sink that frames are waiting; called by the hub outside its lock. */
    void signal() {
        sink.framesAvailable();
    }

    /** Frames up to {@code seq} were sent from history; live copies of them are skipped. */
    public void replayedThrough(long seq) {
        replayedThrough = seq;
    }

    /**
     * Sends the rest of a replay through this subscriber, a page at a time, before any live frame:
     * while it lasts, {@link #takeAll()} gives only its pages, asking {@code pages} for the next one
     * when it finds none waiting, and live frames wait in the queue (or overflow it, as always).
     * Call before anything drains the subscriber, with {@link #replayedThrough} set to where the
     * replay ends.
     */
    public void replayInPages(Pages pages) {
        this.pages = pages;
    }

    /**
     * Hands the drainer the next page of the replay, its frames in seq order, and wakes it;
     * {@code last} says the replay ends with it. Called once per {@link Pages#next()}, on any thread.
     */
    public void page(List<Frame> frames, boolean last) {
        page = new Page(List.copyOf(frames), last);
        signal();
    }

    /** The next page of the replay cannot be read: the sink is told to close. Any thread. */
    public void pageFailed() {
        sink.replayBroken();
    }

    /** Whether the rest of a replay is still to be sent in pages. */
    public boolean replaying() {
        return pages != null;
    }

    /**
     * Moves every queued frame that {@link #takeAll()} gives, oldest first, to {@code into}; returns
     * how many. A gap is taken with them, and forgotten.
     */
    public int drainTo(List<Frame> into) {
        takeGap(); // not reported here: taken so that frames are queued again
        int count = 0;
        for (Queued q = takeAll(); q != null; q = q.next()) {
            into.add(q.frame());
            count++;
        }
        return count;
    }

    /**
     * Takes every queued frame at once: the oldest, linked to the next one by {@link Queued#next()},
     * or {@code null} when none is queued. Frames that were queued live before the subscriber knew
     * they would be sent from history ({@link #replayedThrough}) are left out. While a replay is
     * sent in pages ({@link #replayInPages}) it gives the page waiting instead, if any. The chain is
     * the caller's from now on.
     */
    public Queued takeAll() {
        Pages paging = pages;
        if (paging != null) {
            Queued replayed = takePage(paging);
            if (replayed != null || pages != null) {
                return replayed;
            }
        }
        Queued newest = (Queued) TOP.getAndSet(this, (Queued) null);
        long replayed = replayedThrough;
        Queued oldest = null;
        int count = 0;
        while (newest != null) { // reverse the stack into publish order
            Queued below = newest.next;
            if (newest.frame.seq() > replayed) {
                newest.next = oldest;
                oldest = newest;
            }
            newest = below;
            count++;
        }
        if (count > 0) {
            QUEUED.getAndAdd(this, -count);
        }
        return oldest;
    }

    /**
     * The page waiting, as a chain, or {@code null}: then the next page is asked for, unless it was
     * already. Taking the last page ends the replay.
     */
    private Queued takePage(Pages paging) {
        Page taken = (Page) PAGE.getAndSet(this, (Page) null);
        if (taken == null) {
            if (!pageAsked) {
                pageAsked = true;
                paging.next();
            }
            return null;
        }
        pageAsked = false;
        if (taken.last()) {
            pages = null;
        }
        Queued oldest = null;
        for (int i = taken.frames().size() - 1; i >= 0; i--) {
            Queued q = new Queued(taken.frames().get(i));
            q.next = oldest;
            oldest = q;
        }
        return oldest;
    }

    /** Whether frames, or a gap to report, are waiting: while a replay lasts, only its pages count. */
    public boolean hasFrames() {
        if (pages != null) {
            return page != null;
        }
        return top != null || gap != null;
    }

    /** One queued frame and the next one; see {@link #takeAll()}. */
    public static final class Queued {
        private final Frame frame;
        private Queued next;

        private Queued(Frame frame) {
            this.frame = frame;
        }

        public Frame frame() {
            return frame;
        }

        /** The frame queued after this one, or {@code null}. */
        public Queued next() {
            return next;
        }
    }

    /** Frames not queued because the queue was full. */
    public long dropped() {
        return dropped;
    }

    /** Whether a frame was refused under {@code DISCONNECT}; such a subscriber takes nothing more. */
    public boolean overflowed() {
        return overflowed;
    }
}
