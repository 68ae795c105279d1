package io.ssehub.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

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
 * Inside the lock the hub only encodes and enqueues; it never waits for a consumer.
 *
 * <p>Retention: each topic keeps its newest events up to {@link HistoryLimits#perTopic()}, none
 * older than {@link HistoryLimits#maxAge()}, and all topics together at most
 * {@link HistoryLimits#maxBytes()} of encoded frames; the oldest go first. A topic with neither
 * subscribers nor history is removed, so topic names seen once do not accumulate.
 */
public final class Hub {

    private static final Subscriber[] NO_SUBSCRIBERS = new Subscriber[0];

    private final FrameEncoder encoder;
    private final HistoryLimits limits;
    private final LongSupplier nanoClock;
    private final String epoch;
    private final Object lock = new Object();
    private final Map<String, Topic> topics = new HashMap<>();
    private final AtomicInteger subscriberCount = new AtomicInteger();
    private long lastSeq;
    /** All retained events over all topics, oldest first, for the age and byte limits. */
    private Topic.Retained oldest;
    private Topic.Retained newest;
    private long retainedBytes;
    /** The highest seq forgotten by topics that were since removed; a new topic starts from it. */
    private long removedForgottenThrough;
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
     * Registration and the history snapshot are one atomic step with respect to publishing.
     */
    public Subscription subscribe(Subscriber subscriber, StartPosition from) {
        synchronized (lock) {
            List<Topic> own = new ArrayList<>(subscriber.topics().size());
            for (String name : new LinkedHashSet<>(subscriber.topics())) {
                Topic topic = topics.computeIfAbsent(name, n -> new Topic(n, removedForgottenThrough));
                int before = topic.size();
                topic.add(subscriber);
                subscriberCount.addAndGet(topic.size() - before);
                own.add(topic);
            }
            Subscription subscription = startingPoint(own, from);
            List<Frame> replay = subscription.replay();
            subscriber.replayedThrough(replay.isEmpty() ? 0 : replay.get(replay.size() - 1).seq());
            if (!(from instanceof StartPosition.Live)) {
                observer.resumed(replay.size(), subscription.reset() != null);
            }
            return subscription;
        }
    }

    /** Registers the subscriber for live events only. */
    public void subscribe(Subscriber subscriber) {
        subscribe(subscriber, StartPosition.LIVE);
    }

    private Subscription startingPoint(List<Topic> own, StartPosition from) {
        String current = new EventId(epoch, lastSeq).toString();
        if (from instanceof StartPosition.Live) {
            return new Subscription(null, List.of(), current);
        }
        if (from instanceof StartPosition.Earliest) {
            return new Subscription(null, retainedAfter(own, 0), "earliest");
        }
        String requested = ((StartPosition.After) from).lastEventId();
        Optional<EventId> id = EventId.parse(requested);
        boolean known = id.isPresent() && id.get().epoch().equals(epoch) && id.get().seq() <= lastSeq;
        long after = known ? id.get().seq() : 0;
        List<Frame> replay = retainedAfter(own, after);
        boolean gap = !known || own.stream().anyMatch(t -> t.forgottenThrough() > after);
        if (!gap) {
            return new Subscription(null, replay, requested);
        }
        String oldest = replay.isEmpty() ? null : replay.get(0).id();
        long resetSeq = replay.isEmpty() ? lastSeq : replay.get(0).seq() - 1;
        return new Subscription(new Subscription.Reset(requested, oldest), replay,
                new EventId(epoch, resetSeq).toString());
    }

    private static List<Frame> retainedAfter(List<Topic> own, long afterSeq) {
        List<Frame> frames = new ArrayList<>();
        for (Topic topic : own) {
            topic.retainedAfter(afterSeq, frames);
        }
        if (own.size() > 1) {
            frames.sort(Comparator.comparingLong(Frame::seq));
        }
        return frames;
    }

    /** Releases the subscriber. Idempotent: a second call, or one for a stranger, does nothing. */
    public void unsubscribe(Subscriber subscriber) {
        synchronized (lock) {
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
     * Gives the message the next id, encodes it once, retains it and offers the frame to every
     * subscriber of its topic.
     *
     * @return the id and how many subscribers' queues took it
     */
    public PublishResult publish(Message message) {
        long start = System.nanoTime();
        synchronized (lock) {
            long now = nanoClock.getAsLong();
            long seq = ++lastSeq;
            String id = new EventId(epoch, seq).toString();
            Frame frame = new Frame(seq, id, message, encoder.encode(message, id), now, encoder);
            Topic topic = topics.get(message.topic());
            if (topic == null && limits.enabled()) {
                topic = new Topic(message.topic(), removedForgottenThrough);
                topics.put(topic.name(), topic);
            }
            int delivered = 0;
            int queueFull = 0;
            int refused = 0;
            Subscriber[] subscribers = NO_SUBSCRIBERS;
            if (topic == null) {
                removedForgottenThrough = seq; // nobody listens and nothing is kept: lost to any resumer
            } else {
                topic.published(frame);
                retain(topic, frame);
                subscribers = topic.subscribers();
                for (Subscriber subscriber : subscribers) {
                    switch (subscriber.offer(frame)) {
                        case QUEUED -> delivered++;
                        case QUEUE_FULL -> queueFull++;
                        case OVERFLOWED -> {
                            refused++;
                            observer.overflowed();
                        }
                        case REFUSED -> refused++;
                        case REPLAYED -> { }
                    }
                }
            }
            expire(now);
            if (frame.owedFlushes(delivered)) {
                observer.flushedByAll(nanoClock.getAsLong() - now);
            }
            observer.published(subscribers.length, delivered, queueFull, refused, System.nanoTime() - start);
            return new PublishResult(message.topic(), delivered, id);
        }
    }

    /** Publishes several messages in order, each with its own id. */
    public List<PublishResult> publishAll(List<Message> messages) {
        List<PublishResult> results = new ArrayList<>(messages.size());
        for (Message message : messages) {
            results.add(publish(message));
        }
        return results;
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
        retainedBytes += frame.bytes().length;
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
        retainedBytes -= entry.frame.bytes().length;
        removeIfIdle(entry.topic);
    }

    private void removeIfIdle(Topic topic) {
        if (topic.isIdle() && topics.get(topic.name()) == topic) {
            topics.remove(topic.name());
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
        synchronized (lock) {
            return topics.size();
        }
    }

    /** Subscribers of one topic, 0 if nobody listens. */
    public int subscribers(String topic) {
        synchronized (lock) {
            Topic t = topics.get(topic);
            return t == null ? 0 : t.size();
        }
    }

    /** A snapshot of one topic, empty if it has neither subscribers nor history. */
    public Optional<TopicInfo> topic(String name) {
        synchronized (lock) {
            Topic t = topics.get(name);
            return t == null ? Optional.empty()
                    : Optional.of(new TopicInfo(name, t.size(), t.lastEventId(), t.retained()));
        }
    }

    /** Encoded bytes currently retained over all topics. */
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
