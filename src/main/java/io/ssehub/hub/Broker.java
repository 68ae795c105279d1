package io.ssehub.hub;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the front ends publish and subscribe through: the seam between them and where events are
 * sequenced. {@link LocalBroker} sequences them in this node's {@link Hub}; a backplane (such as
 * Redis) sequences them for a cluster and hands each event to every node's hub in one order.
 *
 * <p>Thread-safe. The stages complete on the broker's threads; a failed stage means nothing was
 * published (or subscribed) and the caller should answer "unavailable".
 */
public interface Broker extends Subscriber.GapSource {

    /**
     * How long a caller waits for a broker's answer: longer than the Redis backplane's own command
     * timeout, so a stalled backplane fails its command first.
     */
    long WAIT_MILLIS = 5_000;

    /**
     * Waits, on the calling thread, at most {@link #WAIT_MILLIS} for a stage of a broker: the one
     * way every front end and the Java API wait for one.
     *
     * @throws DuplicateIdException        the broker refused the request itself (a publisher's id)
     * @throws IdempotencyConflictException the broker refused the request itself (a reused key)
     * @throws TopicLimitException          the backplane holds its maximum of topics
     * @throws PublishOutcomeUnknownException the backplane did not say whether a publish went through
     * @throws BrokerUnavailableException  the stage failed or did not complete in time, or the
     *                                     thread was interrupted (its flag is set again)
     */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException(true, e);
        } catch (ExecutionException | TimeoutException e) {
            if (e.getCause() instanceof DuplicateIdException || e.getCause() instanceof IdempotencyConflictException
                    || e.getCause() instanceof TopicLimitException || e.getCause() instanceof PublishOutcomeUnknownException) {
                throw (RuntimeException) e.getCause();
            }
            throw new BrokerUnavailableException(false, e);
        }
    }

    /** Publishes the messages in order; each result counts this node's subscribers only. */
    default CompletionStage<List<PublishResult>> submit(List<Message> messages) {
        return submit(messages, null);
    }

    /**
     * Publishes the messages in order, all or none; each result counts this node's subscribers
     * only. With a key the broker has seen within its memory of keys, nothing is published and
     * the stage completes with the first publish's ids ({@link IdempotencyKeys#repeated}).
     *
     * @param key the publisher's idempotency key, or {@code null}
     */
    CompletionStage<List<PublishResult>> submit(List<Message> messages, IdempotencyKey key);

    /**
     * Registers the subscriber and works out what it must be sent before live events; frames that
     * arrive meanwhile and were replayed are skipped by the subscriber.
     */
    CompletionStage<Subscription> attach(Subscriber subscriber, StartPosition from);

    /** Releases the subscriber; idempotent. */
    void detach(Subscriber subscriber);

    /** The subscriptions open where this broker reaches, for Mercure's active-subscriptions API. */
    SubscriptionRegistry subscriptions();

    /**
     * A snapshot of a topic, empty if it has neither subscribers here nor history. A backplane
     * answers its history (the last id and how many events are retained) for the cluster; the
     * subscribers are this node's.
     */
    CompletionStage<Optional<TopicInfo>> topic(String name);

    /** What this broker still retains of a gap; by default nothing, so the subscriber is told of the loss. */
    @Override
    default List<Frame> retainedGap(Subscriber subscriber, Subscriber.Gap gap) {
        return null;
    }

    /** Whether publishing can succeed right now. */
    default boolean available() {
        return true;
    }
}
