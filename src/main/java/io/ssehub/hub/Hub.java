package io.ssehub.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.IdentityHashMap;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Topic to subscribers fan-out, with event ids and a bounded history for resuming clients.
 *
 * <p>Threading: every method is thread-safe. One lock orders subscribe, unsubscribe and each
 * publish (id, encoding, history, fan-out), so
 * <ul>
 *   <li>ids are hub-wide and strictly increasing, and every subscriber, even of several topics,
 *       receives frames in id order;</li>
 *   <li>a subscription's history snapshot and its registration happen at one instant: every
 *       event is either replayed or delivered live, never both and never neither.</li>
 * </ul>
 * Inside the lock the hub only puts the id on a frame encoded before it and enqueues; consumers
 * are woken after it is released, and it never waits for one. Whether a subscriber of every topic wants an update (its selectors,
 * which may be URI templates) is decided by the publishing thread before it takes the lock, so a
 * costly selector slows its own publisher's request, not every publish and subscribe.
 *
 * <p>Retention: each topic keeps its newest events up to {@link HistoryLimits#perTopic()}, none
 * older than {@link HistoryLimits#maxAge()}, and all topics together at most
 * {@link HistoryLimits#maxBytes()} of heap ({@link HeapCost}); the oldest go first. A topic with neither
 * subscribers nor history is removed, so topic names seen once do not accumulate.
 */
public final class Hub {

    private static final Subscriber[] NO_SUBSCRIBERS = new Subscriber[0];

    private final FrameEncoder encoder;
    private final HistoryLimits limits;
    private final LongSupplier nanoClock;
    private final String epoch;
    private final Object lock = new Object();
    /** Changed under the lock only; concurrent so {@link #holds} may read it without the lock. */
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final AtomicInteger subscriberCount = new AtomicInteger();
    /** {@code topics.size()}, readable without the lock (admission checks on every publish). */
    private volatile int topicCount;
    private long lastSeq;
    /** All retained events over all topics, oldest first, for the age and byte limits. */
    private Topic.Retained oldest;
    private Topic.Retained newest;
    private long retainedBytes;
    /** The highest seq forgotten by topics that were since removed; a new topic starts from it. */
    private long removedForgottenThrough;
    /** The highest seq forgotten anywhere: what a subscriber of every topic may have lost. */
    private long forgottenAnywhere;
    /** Subscribers offered every update (topic selectors); they decide with {@link Subscriber#accepts}. */
    private final Set<Subscriber> everywhere = new LinkedHashSet<>();
    /** {@link #everywhere} as an array, replaced on every change; read without the lock by {@link #select}. */
    private volatile Subscriber[] everywhereSnapshot = NO_SUBSCRIBERS;
    /** Publisher-chosen ids of retained events, for duplicates and for resuming by them. */
    private final Map<String, Long> customIds = new HashMap<>();
    private volatile HubObserver observer = HubObserver.NONE;

    /**
     * @param epoch     names this run of the hub in every id; must differ between runs
     * @param nanoClock the clock for history ages, normally {@link System#nanoTime()}
     */
    public Hub(FrameEncoder encoder, HistoryLimits limits, String epoch, LongSupplier nanoClock) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.epoch = Objects.requireNonNull(epoch, "epoch");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (epoch.isEmpty() || epoch.indexOf('-') >= 0) {
            throw new IllegalArgumentException("the epoch must be non-empty and contain no '-': " + epoch);
        }
    }

    /** A hub without history, with an epoch from the current time. */
    public Hub(FrameEncoder encoder) {
        this(encoder, HistoryLimits.NONE, newEpoch(), System::nanoTime);
    }

    /** An epoch from the wall clock in base 36: distinct for runs started a millisecond apart. */
    public static String newEpoch() {
        return Long.toString(System.currentTimeMillis(), 36);
    }

    public String epoch() {
        return epoch;
    }

    /**
     * Sets the one observer of this hub, before it is used.
     *
     * @throws IllegalStateException if an observer was set already
     */
    public void observeWith(HubObserver observer) {
        Objects.requireNonNull(observer, "observer");
        synchronized (lock) {
            if (this.observer != HubObserver.NONE) {
                throw new IllegalStateException("the hub already has an observer");
            }
            this.observer = observer;
        }
    }

    /**
     * Registers the subscriber on each of its topics and works out what it must be sent first.
     * Registration and the history snapshot are one atomic step with respect to publishing; what
     * only reads the snapshot (which retained frames the subscriber accepts, their order over
     * several topics, the reset) is worked out after the lock, so a subscribe with costly selectors
     * or a long replay holds up no publish.
     */
    public Subscription subscribe(Subscriber subscriber, StartPosition from) {
        Snapshot snapshot;
        synchronized (lock) {
            register(subscriber);
            snapshot = subscriber.everywhere() ? snapshotEverywhere(from) : snapshot(subscriber, from);
            // Live frames from now on are all newer than the snapshot; those it holds are replayed.
            subscriber.replayedThrough(snapshot.newestSeq());
        }
        Subscription subscription = snapshot.subscription(subscriber);
        if (!(from instanceof StartPosition.Live)) {
            observer.resumed(subscription.replay().size(), subscription.reset() != null);
        }
        return subscription;
    }

    /** Registers the subscriber for live events only. */
    public void subscribe(Subscriber subscriber) {
        subscribe(subscriber, StartPosition.LIVE);
    }

    /**
     * The frames a subscriber's full queue dropped in one run, read back from the retained history:
     * exactly the {@link Subscriber.Gap#count()} frames from its first to its last, in order, or
     * {@code null} when the history no longer holds every one of them (evicted, or never retained),
     * and the subscriber is told of the loss instead. Only the copy of what is retained after the
     * gap's start is taken under the lock; the filtering is done after it.
     */
    public List<Frame> retainedGap(Subscriber subscriber, Subscriber.Gap gap) {
        long after = gap.first().seq() - 1;
        long through = gap.last().seq();
        List<Frame> frames;
        boolean merged = false;
        synchronized (lock) {
            if (subscriber.everywhere()) {
                frames = retainedEverywhereAfter(after);
            } else {
                frames = new ArrayList<>();
                List<String> names = subscriber.topics();
                for (String name : names) {
                    Topic topic = topics.get(name);
                    if (topic != null) {
                        topic.retainedAfter(after, frames);
                    }
                }
                merged = names.size() > 1;
            }
        }
        List<Frame> lost = accepted(frames, merged, subscriber, through);
        boolean whole = lost.size() == gap.count() && !lost.isEmpty()
                && lost.get(0).seq() == gap.first().seq() && lost.get(lost.size() - 1).seq() == through;
        return whole ? lost : null;
    }

    /**
     * The retained frames the subscriber accepts, up to {@code throughSeq}, in seq order and each
     * once: {@code merged} frames came from several topics' histories, each in order but not
     * together, and one update retained under two of the topics is in both (it was offered once).
     * Called after the lock: matching selectors may cost.
     */
    private static List<Frame> accepted(List<Frame> frames, boolean merged, Subscriber subscriber, long throughSeq) {
        if (merged) {
            frames = new ArrayList<>(frames);
            frames.sort(Comparator.comparingLong(Frame::seq));
        }
        List<Frame> accepted = new ArrayList<>(frames.size());
        long previous = -1;
        for (Frame frame : frames) {
            if (frame.seq() > throughSeq) {
                break;
            }
            if (frame.seq() != previous && subscriber.accepts(frame.message())) {
                accepted.add(frame);
            }
            previous = frame.seq();
        }
        return accepted;
    }

    /**
     * What a subscription starts from, taken under the lock: the retained frames after its start
     * position, in seq order, not yet filtered for the subscriber; and what decides a reset.
     *
     * @param requested the id a resuming client sent, or {@code null} (live or earliest)
     * @param start     the subscription's start position when it is not a resume; {@code null} for
     *                  a live one, which starts after {@code lastSeq}
     * @param gap       whether history no longer covers what {@code requested} asks for
     * @param lastSeq   the newest seq at the snapshot
     * @param merged    whether the frames came from several topics' histories, each in seq order
     *                  but not together (and one update retained under two topics is in both)
     */
    private record Snapshot(List<Frame> frames, String requested, String start, boolean gap, long lastSeq,
                            String epoch, boolean merged) {

        long newestSeq() {
            long newest = 0;
            for (Frame frame : frames) {
                newest = Math.max(newest, frame.seq());
            }
            return newest;
        }

        Subscription subscription(Subscriber subscriber) {
            List<Frame> replay = accepted(frames, merged, subscriber, Long.MAX_VALUE);
            if (requested == null) {
                // a live start is named here, after the lock: the snapshot only took the seq
                return new Subscription(null, replay, start != null ? start : new EventId(epoch, lastSeq).toString());
            }
            if (!gap) {
                return new Subscription(null, replay, requested);
            }
            String oldest = replay.isEmpty() ? null : replay.get(0).id();
            long resetSeq = replay.isEmpty() ? lastSeq : replay.get(0).seq() - 1;
            return new Subscription(new Subscription.Reset(requested, oldest), replay,
                    new EventId(epoch, resetSeq).toString());
        }
    }

    private Snapshot live() {
        return new Snapshot(List.of(), null, null, false, lastSeq, epoch, false);
    }

    private Snapshot snapshot(Subscriber subscriber, StartPosition from) {
        if (from instanceof StartPosition.Live) {
            return live();
        }
        List<Topic> own = new ArrayList<>(subscriber.topics().size());
        for (String name : new LinkedHashSet<>(subscriber.topics())) {
            own.add(topics.get(name));
        }
        if (from instanceof StartPosition.Earliest) {
            return new Snapshot(retainedAfter(own, 0), null, "earliest", false, lastSeq, epoch, own.size() > 1);
        }
        String requested = ((StartPosition.After) from).lastEventId();
        long known = resolve(requested);
        long after = Math.max(known, 0);
        boolean gap = known < 0 || own.stream().anyMatch(t -> t.forgottenThrough() > after);
        return new Snapshot(retainedAfter(own, after), requested, null, gap, lastSeq, epoch, own.size() > 1);
    }

    /**
     * The seq an id names in this run, or -1 when it is unknown (another run, evicted, garbage).
     * The hub's own ids come first; a publisher's id can never take their form ({@link #isReserved}).
     */
    private long resolve(String requested) {
        Optional<EventId> id = EventId.parse(requested);
        if (id.isPresent() && id.get().epoch().equals(epoch)) {
            return id.get().seq() <= lastSeq ? id.get().seq() : -1;
        }
        Long custom = customIds.get(requested);
        return custom != null ? custom : -1;
    }

    /**
     * Whether a publisher-chosen id is one the hub keeps for itself: any id of this run's form
     * ({@code <epoch>-<n>}, whether issued yet or not) and {@code earliest}, which a resuming
     * client sends to mean "everything retained".
     */
    public boolean isReserved(String customId) {
        if (customId.equals("earliest")) {
            return true;
        }
        Optional<EventId> id = EventId.parse(customId);
        return id.isPresent() && id.get().epoch().equals(epoch);
    }

    /** The snapshot of a subscriber of every topic: the hub-wide retained list, which is in seq order. */
    private Snapshot snapshotEverywhere(StartPosition from) {
        if (from instanceof StartPosition.Live) {
            return live();
        }
        long known = from instanceof StartPosition.After after ? resolve(after.lastEventId()) : 0;
        long afterSeq = Math.max(known, 0);
        List<Frame> frames = retainedEverywhereAfter(afterSeq);
        if (from instanceof StartPosition.Earliest) {
            return new Snapshot(frames, null, "earliest", false, lastSeq, epoch, false);
        }
        String requested = ((StartPosition.After) from).lastEventId();
        return new Snapshot(frames, requested, null, known < 0 || forgottenAnywhere > afterSeq, lastSeq, epoch, false);
    }

    /**
     * The frames retained hub-wide after {@code afterSeq}, in seq order: read from the newest back,
     * so only what is after it is visited. Under the lock.
     */
    private List<Frame> retainedEverywhereAfter(long afterSeq) {
        List<Frame> frames = new ArrayList<>();
        for (Topic.Retained entry = newest; entry != null && entry.frame.seq() > afterSeq; entry = entry.older) {
            frames.add(entry.frame);
        }
        Collections.reverse(frames);
        return frames;
    }

    /** The frames retained after {@code afterSeq} on the topics: each topic's in seq order, one after the other. */
    private static List<Frame> retainedAfter(List<Topic> own, long afterSeq) {
        List<Frame> frames = new ArrayList<>();
        for (Topic topic : own) {
            topic.retainedAfter(afterSeq, frames);
        }
        return frames;
    }

    /** Releases the subscriber. Idempotent: a second call, or one for a stranger, does nothing. */
    public void unsubscribe(Subscriber subscriber) {
        synchronized (lock) {
            if (subscriber.everywhere()) {
                if (everywhere.remove(subscriber)) {
                    everywhereSnapshot = everywhere.toArray(new Subscriber[0]);
                    subscriberCount.decrementAndGet();
                }
                return;
            }
            for (String name : subscriber.topics()) {
                Topic topic = topics.get(name);
                if (topic != null && topic.remove(subscriber)) {
                    subscriberCount.decrementAndGet();
                    removeIfIdle(topic);
                }
            }
        }
    }

    /**
     * Releases, in one step, every subscriber that {@code which} selects, and returns them: no
     * frame is offered to any of them after this returns, whatever a publisher or a backplane hands
     * on next, while a subscriber registered after it is offered what follows as usual. A backplane
     * that must close their streams does so; a later {@link #unsubscribe} of one of them does
     * nothing. {@code which} runs under the lock that orders every publish: it must be cheap (a
     * subscriber's kind, not its selectors).
     */
    public Set<Subscriber> unsubscribeAll(Predicate<Subscriber> which) {
        synchronized (lock) {
            Set<Subscriber> released = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Subscriber subscriber : everywhere) {
                if (which.test(subscriber)) {
                    released.add(subscriber);
                }
            }
            for (Topic topic : topics.values()) {
                for (Subscriber subscriber : topic.subscribers()) {
                    if (which.test(subscriber)) {
                        released.add(subscriber);
                    }
                }
            }
            for (Subscriber subscriber : released) {
                unsubscribe(subscriber); // the lock is held throughout: no frame reaches them between
            }
            return released;
        }
    }

    /**
     * Gives the message the next id, encodes it once, retains it and offers the frame to every
     * subscriber of its topic.
     *
     * @return the id and how many subscribers' queues took it
     */
    public PublishResult publish(Message message) {
        long start = System.nanoTime();
        ArrayList<Subscriber> woken = new ArrayList<>();
        Published published = publishLocked(message, encoder.prepare(message), select(message), woken);
        signal(woken);
        report(published.frame, published.tally, published.frame.publishedNanos(), start);
        return new PublishResult(message.topic(), published.tally.delivered, published.frame.id());
    }

    /** What a publish did under the lock, reported after it: the observer's meters need no lock of ours. */
    private record Published(Frame frame, Tally tally) {
    }

    /** Wakes the subscribers that took a frame, outside the lock: waking may schedule work. */
    private static void signal(List<Subscriber> woken) {
        for (int i = 0; i < woken.size(); i++) {
            woken.get(i).signal();
        }
    }

    /**
     * Which subscribers of every topic want the message, decided before the lock is taken: their
     * selectors (URI templates) may be costly to match, and the lock orders every publish and
     * subscribe. Those registered between this and the fan-out are decided there.
     */
    private record Selection(Subscriber[] candidates, boolean[] wanted) {

        static final Selection NONE = new Selection(NO_SUBSCRIBERS, new boolean[0]);
    }

    private Selection select(Message message) {
        Subscriber[] candidates = everywhereSnapshot;
        if (candidates.length == 0) {
            return Selection.NONE;
        }
        boolean[] wanted = new boolean[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            wanted[i] = candidates[i].accepts(message);
        }
        return new Selection(candidates, wanted);
    }

    private Published publishLocked(Message message, FrameEncoder.Prepared encoding, Selection selection,
                                    ArrayList<Subscriber> woken) {
        synchronized (lock) {
            if (message.customId() != null && (customIds.containsKey(message.customId()) || isReserved(message.customId()))) {
                throw new DuplicateIdException(isReserved(message.customId()));
            }
            long now = nanoClock.getAsLong();
            long seq = ++lastSeq;
            String id = message.customId() != null ? message.customId() : new EventId(epoch, seq).toString();
            Frame frame = new Frame(seq, id, message, encoding.withId(id), now, encoder);
            List<Topic> own = new ArrayList<>(1 + message.alternates().size());
            for (String name : message.topics()) {
                Topic topic = topics.get(name);
                if (topic == null && limits.enabled()) {
                    topic = new Topic(name, removedForgottenThrough);
                    topics.put(name, topic);
                    topicCount = topics.size();
                }
                if (topic == null) {
                    removedForgottenThrough = seq; // nobody listens and nothing is kept: lost to any resumer
                    forgottenAnywhere = seq;
                } else if (!own.contains(topic)) {
                    own.add(topic);
                }
            }
            if (message.customId() != null && limits.enabled()) {
                customIds.put(message.customId(), seq);
            }
            for (Topic topic : own) {
                topic.published(frame);
                retain(topic, frame);
            }
            Tally tally = fanOut(frame, own, selection, woken);
            expire(now);
            return new Published(frame, tally);
        }
    }

    /** What one fan-out did, for the publish answer and the observer. */
    private static final class Tally {
        int offered;
        int delivered;
        int queueFull;
        int refused;
    }

    /** Offers the frame once to every subscriber that may want it. */
    private Tally fanOut(Frame frame, List<Topic> own, Selection selection, ArrayList<Subscriber> woken) {
        Tally tally = new Tally();
        int candidates = everywhereSnapshot.length;
        for (Topic topic : own) {
            candidates += topic.size();
        }
        woken.ensureCapacity(candidates); // grown step by step, it copied itself a dozen times per publish
        Set<Subscriber> offered = own.size() > 1 ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
        for (Topic topic : own) {
            for (Subscriber subscriber : topic.subscribers()) {
                if (offered == null || offered.add(subscriber)) {
                    offer(subscriber, frame, subscriber.accepts(frame.message()), woken, tally);
                }
            }
        }
        Subscriber[] everywhereNow = everywhereSnapshot;
        for (int i = 0; i < everywhereNow.length; i++) {
            // Same array as at selection: decided outside the lock. Changed meanwhile (rare): a
            // subscriber found at another place, or new, is decided here.
            Subscriber subscriber = everywhereNow[i];
            boolean wanted = selection.candidates() == everywhereNow ? selection.wanted()[i]
                    : decided(selection, subscriber, frame.message());
            offer(subscriber, frame, wanted, woken, tally);
        }
        return tally;
    }

    private static boolean decided(Selection selection, Subscriber subscriber, Message message) {
        Subscriber[] candidates = selection.candidates();
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i] == subscriber) {
                return selection.wanted()[i];
            }
        }
        return subscriber.accepts(message);
    }

    private void offer(Subscriber subscriber, Frame frame, boolean wanted, List<Subscriber> woken, Tally tally) {
        tally.offered++;
        switch (subscriber.offer(frame, wanted)) {
            case QUEUED -> {
                tally.delivered++;
                woken.add(subscriber);
            }
            case QUEUE_FULL -> tally.queueFull++;
            case OVERFLOWED -> {
                tally.refused++;
                observer.overflowed();
            }
            case REFUSED -> tally.refused++;
            case REPLAYED, NOT_WANTED -> {
            }
        }
    }

    private void report(Frame frame, Tally tally, long publishedNanos, long start) {
        if (frame.owedFlushes(tally.delivered)) {
            observer.flushedByAll(nanoClock.getAsLong() - publishedNanos);
        }
        observer.published(tally.offered, tally.delivered, tally.queueFull, tally.refused, System.nanoTime() - start);
    }

    /** Publishes several messages in order, each with its own id. */
    public List<PublishResult> publishAll(List<Message> messages) {
        List<PublishResult> results = new ArrayList<>(messages.size());
        for (Message message : messages) {
            results.add(publish(message));
        }
        return results;
    }

    /**
     * Hands on an event that was sequenced elsewhere (by a backplane): encodes it once and offers
     * it to this node's subscribers of its topic, in the order the backplane delivers. Nothing is
     * retained here; the backplane keeps the history.
     *
     * @return how many local subscribers' queues took it
     */
    public int deliver(EventId id, Message message) {
        long start = System.nanoTime();
        ArrayList<Subscriber> woken = new ArrayList<>();
        Selection selection = select(message);
        Tally tally;
        Frame frame;
        synchronized (lock) {
            frame = frame(id, message);
            List<Topic> own = new ArrayList<>(1 + message.alternates().size());
            for (String name : message.topics()) {
                Topic topic = topics.get(name);
                if (topic != null && !own.contains(topic)) {
                    topic.published(frame);
                    own.add(topic);
                }
            }
            tally = fanOut(frame, own, selection, woken);
        }
        signal(woken);
        report(frame, tally, frame.publishedNanos(), start);
        return tally.delivered;
    }

    /**
     * Tells this node's subscribers of a topic that events published on it are lost to them (a
     * backplane could not replay a gap from its history): offers each an {@code event: reset} frame,
     * the same bytes a stream opener sends for a resume id whose gap is gone,
     * <pre>id: &lt;resetAt&gt;\nevent: reset\ndata: {"lastEventId":"&lt;lastDelivered&gt;","oldestAvailable":"&lt;id&gt;"|null}\n\n</pre>
     * The frame's position is {@code resetAt}, so replayed events after it follow in order.
     *
     * @param lastDelivered   the last event this node delivered before the gap
     * @param oldestAvailable the oldest event still held after the gap, or {@code null}
     * @param resetAt         the position clients resume after from now on
     * @return how many local subscribers' queues took it
     */
    public int announceReset(String topic, EventId lastDelivered, EventId oldestAvailable, EventId resetAt) {
        Frame frame = resetFrame(topic, lastDelivered, oldestAvailable, resetAt);
        ArrayList<Subscriber> woken = new ArrayList<>();
        Selection selection = select(frame.message());
        Tally tally;
        synchronized (lock) {
            Topic own = topics.get(topic);
            tally = fanOut(frame, own == null ? List.of() : List.of(own), selection, woken);
        }
        signal(woken);
        return tally.delivered;
    }

    /**
     * The {@code event: reset} frame of {@link #announceReset}, for one subscriber: what a replay
     * read in pages sends where history lost part of it meanwhile.
     */
    public Frame resetFrame(String topic, EventId lastDelivered, EventId oldestAvailable, EventId resetAt) {
        String data = "{\"lastEventId\":" + quoted(lastDelivered) + ",\"oldestAvailable\":" + quoted(oldestAvailable) + "}";
        Message message = new Message(topic, data, "reset", null);
        String id = plain(resetAt.toString());
        byte[] bytes = encoder.encode(message, id);
        // A multi-topic stream gets the reset as it is, as the stream opener sends it: not wrapped.
        FrameEncoder asIs = new FrameEncoder() {
            @Override
            public byte[] encode(Message m, String i) {
                return bytes;
            }

            @Override
            public byte[] encodeWithTopic(Message m, String i) {
                return bytes;
            }
        };
        return new Frame(resetAt.seq(), id, message, bytes, nanoClock.getAsLong(), asIs);
    }

    /** An id as a JSON string; ids of the form {@code <epoch>-<seq>} need no escaping, anything else is refused. */
    private static String quoted(EventId id) {
        return id == null ? "null" : "\"" + plain(id.toString()) + "\"";
    }

    private static String plain(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                throw new IllegalArgumentException("not a plain event id: " + id);
            }
        }
        return id;
    }

    /**
     * The frame for an event sequenced elsewhere, encoded as this hub encodes its own: its id on
     * the wire is the publisher's ({@link Message#customId()}) when it has one, as for the hub's own.
     */
    public Frame frame(EventId id, Message message) {
        String text = message.customId() != null ? message.customId() : id.toString();
        return new Frame(id.seq(), text, message, encoder.encode(message, text), nanoClock.getAsLong(), encoder);
    }

    /**
     * Tells the observer that a subscription a backplane worked out started from a position in
     * history ({@link HubObserver#resumed}), or that more of its replay went out
     * ({@link HubObserver#replayed}, with {@code resumed} false).
     */
    public void observeResume(boolean resumed, int frames, boolean reset) {
        if (resumed) {
            observer.resumed(frames, reset);
        } else if (frames > 0) {
            observer.replayed(frames);
        }
    }

    /** Registers the subscriber on its topics without a history snapshot (a backplane replays). */
    public void register(Subscriber subscriber) {
        synchronized (lock) {
            if (subscriber.everywhere()) {
                if (everywhere.add(subscriber)) {
                    everywhereSnapshot = everywhere.toArray(new Subscriber[0]);
                    subscriberCount.incrementAndGet();
                }
                return;
            }
            List<String> names = subscriber.topics();
            for (String name : names.size() == 1 ? names : new LinkedHashSet<>(names)) {
                Topic topic = topics.get(name);
                if (topic == null) {
                    topic = new Topic(name, removedForgottenThrough);
                    topics.put(name, topic);
                }
                topicCount = topics.size();
                int before = topic.size();
                topic.add(subscriber);
                subscriberCount.addAndGet(topic.size() - before);
            }
        }
    }

    /** Drops history older than the age limit and removes idle topics; run periodically. */
    public void expire() {
        synchronized (lock) {
            expire(nanoClock.getAsLong());
        }
    }

    // ---- retention (under the lock) -----------------------------------------------------------

    private void retain(Topic topic, Frame frame) {
        if (!limits.enabled()) {
            topic.notRetained(frame.seq());
            forgottenAnywhere = frame.seq();
            return;
        }
        Topic.Retained entry = new Topic.Retained(frame, topic);
        topic.retain(entry);
        entry.older = newest;
        if (newest != null) {
            newest.newer = entry;
        } else {
            oldest = entry;
        }
        newest = entry;
        retainedBytes += frame.heapBytes();
        while (topic.retained() > limits.perTopic()) {
            forget(topic.oldest());
        }
        while (retainedBytes > limits.maxBytes() && oldest != null) {
            forget(oldest);
        }
    }

    private void expire(long now) {
        long maxAge = limits.maxAge().toNanos();
        while (oldest != null && now - oldest.frame.publishedNanos() > maxAge) {
            forget(oldest);
        }
    }

    private void forget(Topic.Retained entry) {
        entry.topic.forgetOldest(entry);
        forgottenAnywhere = Math.max(forgottenAnywhere, entry.frame.seq());
        String customId = entry.frame.message().customId();
        if (customId != null && entry.topic.name().equals(entry.frame.topic())) {
            customIds.remove(customId);
        }
        if (entry.older != null) {
            entry.older.newer = entry.newer;
        } else {
            oldest = entry.newer;
        }
        if (entry.newer != null) {
            entry.newer.older = entry.older;
        } else {
            newest = entry.older;
        }
        // Unlinked both ways: a collector that promoted the entry keeps it until an old collection,
        // and a link to its neighbour would keep every later event alive through young ones.
        entry.older = null;
        entry.newer = null;
        retainedBytes -= entry.frame.heapBytes();
        removeIfIdle(entry.topic);
    }

    private void removeIfIdle(Topic topic) {
        if (topic.isIdle() && topics.get(topic.name()) == topic) {
            topics.remove(topic.name());
            topicCount = topics.size();
            removedForgottenThrough = Math.max(removedForgottenThrough, topic.forgottenThrough());
        }
    }

    // ---- observation ----------------------------------------------------------------------------

    /** Subscribers currently registered, over all topics (a multi-topic stream counts per topic). */
    public int subscribers() {
        return subscriberCount.get();
    }

    /** Topics that have subscribers or history. */
    public int topics() {
        return topicCount;
    }

    /** Subscribers of one topic, 0 if nobody listens. */
    public int subscribers(String topic) {
        synchronized (lock) {
            Topic t = topics.get(topic);
            return t == null ? 0 : t.size();
        }
    }

    /**
     * Whether the topic has subscribers or history, as {@link #topic} would say, without taking the
     * lock: the admission checks of every publish and stream ask it.
     */
    public boolean holds(String topic) {
        return topics.containsKey(topic);
    }

    /** A snapshot of one topic, empty if it has neither subscribers nor history. */
    public Optional<TopicInfo> topic(String name) {
        synchronized (lock) {
            Topic t = topics.get(name);
            return t == null ? Optional.empty()
                    : Optional.of(new TopicInfo(name, t.size(), t.lastEventId(), t.retained()));
        }
    }

    /** The oldest event kept over all topics, or {@code null}: for tests of how history links its events. */
    Topic.Retained oldestRetained() {
        synchronized (lock) {
            return oldest;
        }
    }

    /** The heap retained events hold over all topics, as {@link HeapCost} counts it. */
    public long retainedBytes() {
        synchronized (lock) {
            return retainedBytes;
        }
    }

    /** The id of the newest event, or {@code <epoch>-0} before the first. */
    public String lastEventId() {
        synchronized (lock) {
            return new EventId(epoch, lastSeq).toString();
        }
    }
}
