package io.ssehub.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The subscriptions open on this node, in memory; the newest event is its hub's. */
public final class LocalSubscriptions implements SubscriptionRegistry {

    private final Hub hub;
    private final Map<String, Map<String, String>> bySubscriber = new ConcurrentHashMap<>();

    public LocalSubscriptions(Hub hub) {
        this.hub = hub;
    }

    @Override
    public void add(String subscriber, Map<String, String> byTopic) {
        bySubscriber.put(subscriber, Map.copyOf(byTopic));
    }

    @Override
    public void remove(String subscriber) {
        bySubscriber.remove(subscriber);
    }

    @Override
    public CompletionStage<Listing> list() {
        // the id first: a subscription added after it is listed, or announced after it
        String last = hub.lastEventId();
        List<String> records = new ArrayList<>();
        bySubscriber.values().forEach(byTopic -> records.addAll(byTopic.values()));
        return CompletableFuture.completedFuture(new Listing(records, last));
    }
}
