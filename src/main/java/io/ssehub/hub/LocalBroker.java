package io.ssehub.hub;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One node on its own: the {@link Hub} gives ids, keeps history and fans out, all in memory; the
 * idempotency keys publishers send are remembered in {@link IdempotencyKeys}.
 */
public final class LocalBroker implements Broker {

    private final Hub hub;
    private final IdempotencyKeys keys;
    private final LocalSubscriptions subscriptions;

    public LocalBroker(Hub hub, IdempotencyKeys keys) {
        this.hub = hub;
        this.keys = keys;
        this.subscriptions = new LocalSubscriptions(hub);
    }

    @Override
    public CompletionStage<List<PublishResult>> submit(List<Message> messages, IdempotencyKey key) {
        if (key == null) {
            return CompletableFuture.completedFuture(hub.publishAll(messages));
        }
        try {
            return CompletableFuture.completedFuture(keys.once(key, () -> hub.publishAll(messages)));
        } catch (IdempotencyConflictException reused) {
            return CompletableFuture.failedFuture(reused); // as a backplane reports it
        }
    }

    @Override
    public CompletionStage<Optional<TopicInfo>> topic(String name) {
        return CompletableFuture.completedFuture(hub.topic(name));
    }

    @Override
    public CompletionStage<Subscription> attach(Subscriber subscriber, StartPosition from) {
        return CompletableFuture.completedFuture(hub.subscribe(subscriber, from));
    }

    @Override
    public List<Frame> retainedGap(Subscriber subscriber, Subscriber.Gap gap) {
        return hub.retainedGap(subscriber, gap);
    }

    @Override
    public void detach(Subscriber subscriber) {
        hub.unsubscribe(subscriber);
    }

    @Override
    public SubscriptionRegistry subscriptions() {
        return subscriptions;
    }
}
