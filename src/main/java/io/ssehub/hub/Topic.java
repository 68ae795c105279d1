package io.ssehub.hub;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The subscribers of one topic. Not thread-safe: the {@link Hub} guards every access with its lock.
 */
final class Topic {

    private static final Subscriber[] NONE = new Subscriber[0];

    private final String name;
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();
    /** Fan-out iterates an array; it is rebuilt only on the first publish after a change. */
    private Subscriber[] snapshot = NONE;
    private boolean changed;

    Topic(String name) {
        this.name = name;
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

    boolean isEmpty() {
        return subscribers.isEmpty();
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
}
