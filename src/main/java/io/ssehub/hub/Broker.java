package io.ssehub.hub;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the front ends publish and subscribe through: the seam between them and where events are
 * sequenced. {@link LocalBroker} sequences them in this node's {@link Hub}; a backplane (such as
 * Redis) sequences them for a cluster and hands each event to every node's hub in one order.
 *
 * <p>Thread-safe. The stages complete on the broker's threads; a failed stage means nothing was
 * published (or subscribed) and the caller should answer "unavailable".
 */
public interface Broker {

    /** Publishes the messages in order; each result counts this node's subscribers only. */
    CompletionStage<List<PublishResult>> submit(List<Message> messages);

    /**
     * Registers the subscriber and works out what it must be sent before live events; frames that
     * arrive meanwhile and were replayed are skipped by the subscriber.
     */
    CompletionStage<Subscription> attach(Subscriber subscriber, StartPosition from);

    /** Releases the subscriber; idempotent. */
    void detach(Subscriber subscriber);

    /** Whether publishing can succeed right now. */
    default boolean available() {
        return true;
    }
}
