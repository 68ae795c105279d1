package io.ssehub.hub;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One node on its own: the {@link Hub} gives ids, keeps history and fans out, all in memory. */
public final class LocalBroker implements Broker {

    private final Hub hub;

    public LocalBroker(Hub hub) {
        this.hub = hub;
    }

    @Override
    public CompletionStage<List<PublishResult>> submit(List<Message> messages) {
        return CompletableFuture.completedFuture(hub.publishAll(messages));
    }

    @Override
    public CompletionStage<Subscription> attach(Subscriber subscriber, StartPosition from) {
        return CompletableFuture.completedFuture(hub.subscribe(subscriber, from));
    }

    @Override
    public void detach(Subscriber subscriber) {
        hub.unsubscribe(subscriber);
    }
}
