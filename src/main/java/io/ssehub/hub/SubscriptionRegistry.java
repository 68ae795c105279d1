package io.ssehub.hub;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The subscriptions open where the broker reaches (this node, or every node of a cluster), for
 * Mercure's active-subscriptions API. A subscription is an opaque record the front end writes
 * (its JSON), kept under its subscriber and topic selector. Thread-safe.
 */
public interface SubscriptionRegistry {

    /** Records a subscriber's subscriptions, each a record by topic selector. Never blocks. */
    void add(String subscriber, Map<String, String> byTopic);

    /** Forgets a subscriber's subscriptions; idempotent. Never blocks. */
    void remove(String subscriber);

    /**
     * Every subscription open, with the id of the newest event at that instant: each change that an
     * event after that id announces may or may not be in the list, each one before it is.
     */
    CompletionStage<Listing> list();

    /**
     * Calls {@code announce} with the records of subscriptions whose node left without forgetting
     * them (it stopped answering), once over the cluster; on one node, never. A front end that
     * records subscriptions calls it before anything else: until then a backplane's registry may
     * do no work of its own (the Redis one renews no lease).
     */
    default void onAbandoned(Consumer<List<String>> announce) {
    }

    /**
     * @param records     every subscription's record
     * @param lastEventId the newest event's id, in the hub's form
     */
    record Listing(List<String> records, String lastEventId) {
    }
}
