package io.ssehub.hub;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The subscribers and the retained history of one topic. Not thread-safe: the {@link Hub} guards
 * every access with its lock.
 */
final class Topic {

    private static final Subscriber[] NONE = new Subscriber[0];

    private final String name;
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();
    /** Fan-out iterates an array; it is rebuilt only on the first publish after a change. */
    private Subscriber[] snapshot = NONE;
    private boolean changed;
    /** Retained events of this topic, oldest first; each is also in the hub's global age list. */
    private final ArrayDeque<Retained> history = new ArrayDeque<>();
    /** The highest seq of an event of this topic that is no longer retained (0: none lost). */
    private long forgottenThrough;
    private String lastEventId;

    Topic(String name, long forgottenThrough) {
        this.name = name;
        this.forgottenThrough = forgottenThrough;
    }

    String name() {
        return name;
    }

    void add(Subscriber subscriber) {
        changed |= subscribers.add(subscriber);
    }

    boolean remove(Subscriber subscriber) {
        boolean removed = subscribers.remove(subscriber);
        changed |= removed;
        return removed;
    }

    /** Nothing to keep: no subscriber and no history. */
    boolean isIdle() {
        return subscribers.isEmpty() && history.isEmpty();
    }

    int size() {
        return subscribers.size();
    }

    Subscriber[] subscribers() {
        if (changed) {
            snapshot = subscribers.toArray(NONE);
            changed = false;
        }
        return snapshot;
    }

    // ---- history ----------------------------------------------------------------------------

    void published(Frame frame) {
        lastEventId = frame.id();
    }

    void retain(Retained entry) {
        history.addLast(entry);
    }

    Retained oldest() {
        return history.peekFirst();
    }

    /** Removes the oldest retained event, which must be {@code entry}. */
    void forgetOldest(Retained entry) {
        Retained removed = history.pollFirst();
        if (removed != entry) {
            throw new IllegalStateException("history of " + name + " out of order at seq " + entry.frame.seq());
        }
        forgottenThrough = Math.max(forgottenThrough, entry.frame.seq());
    }

    /** Records that an event was published but not retained at all. */
    void notRetained(long seq) {
        forgottenThrough = Math.max(forgottenThrough, seq);
    }

    long forgottenThrough() {
        return forgottenThrough;
    }

    int retained() {
        return history.size();
    }

    String lastEventId() {
        return lastEventId;
    }

    /** Appends the retained frames with a seq above {@code afterSeq}, oldest first. */
    void retainedAfter(long afterSeq, List<Frame> into) {
        int start = into.size();
        Iterator<Retained> newestFirst = history.descendingIterator();
        while (newestFirst.hasNext()) {
            Retained entry = newestFirst.next();
            if (entry.frame.seq() <= afterSeq) {
                break;
            }
            into.add(entry.frame);
        }
        java.util.Collections.reverse(into.subList(start, into.size()));
    }

    /** A retained event: in its topic's history and in the hub's list of all retained events. */
    static final class Retained {
        final Frame frame;
        final Topic topic;
        Retained older;
        Retained newer;

        Retained(Frame frame, Topic topic) {
            this.frame = frame;
            this.topic = topic;
        }
    }
}
