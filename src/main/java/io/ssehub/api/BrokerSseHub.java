package io.ssehub.api;

import io.ssehub.hub.Broker;
import io.ssehub.hub.BrokerUnavailableException;
import io.ssehub.hub.Hub;
import io.ssehub.hub.IdempotencyKey;
import io.ssehub.hub.InvalidMessageException;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishOutcomeUnknownException;
import io.ssehub.hub.PublishResult;
import io.ssehub.hub.PublishRules;
import io.ssehub.hub.TopicLimitException;
import io.ssehub.hub.TopicInfo;
import io.ssehub.hub.TopicQuota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The {@link SseHub} over the broker and rules {@code POST /publish} uses, built by the
 * application wiring; a host obtains it with {@link SseHub#from} and never builds one. A publish
 * is counted among the publishes in flight like an HTTP one, so shutdown refuses new ones and
 * waits for those running; then come the rules, the topic limit and the broker, in the order
 * {@code POST /publish} applies them.
 */
public final class BrokerSseHub implements SseHub {

    /** The {@code Retry-After} hints of {@code POST /publish}'s 503s for the same causes. */
    static final Duration SHUTDOWN_RETRY = Duration.ofSeconds(1);
    static final Duration TOPIC_LIMIT_RETRY = Duration.ofSeconds(30);
    static final Duration BACKPLANE_RETRY = Duration.ofSeconds(2);

    private final Hub hub;
    private final Broker broker;
    private final PublishRules rules;
    private final TopicQuota quota;
    private final BooleanSupplier enter;
    private final Runnable exit;

    /**
     * @param enter counts a publish in flight, or answers {@code false} once shutdown has begun
     *              (the HTTP publishes' gate, {@code InFlight.enter})
     * @param exit  ends what a successful {@code enter} counted
     */
    public BrokerSseHub(Hub hub, Broker broker, PublishRules rules, TopicQuota quota, BooleanSupplier enter,
                        Runnable exit) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.quota = Objects.requireNonNull(quota, "quota");
        this.enter = Objects.requireNonNull(enter, "enter");
        this.exit = Objects.requireNonNull(exit, "exit");
    }

    @Override
    public Receipt publish(Publication publication) {
        return publish(Collections.singletonList(publication), false, null).get(0);
    }

    @Override
    public List<Receipt> publishAll(List<Publication> publications) {
        Objects.requireNonNull(publications, "publications");
        return publish(publications, true, null);
    }

    @Override
    public List<Receipt> publishAll(List<Publication> publications, String idempotencyKey) {
        Objects.requireNonNull(publications, "publications");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return publish(publications, true, idempotencyKey);
    }

    @Override
    public Optional<TopicStatus> topic(String name) {
        Optional<TopicInfo> found;
        try {
            found = Broker.await(broker.topic(rules.topic(name)));
        } catch (BrokerUnavailableException e) {
            throw new HubUnavailableException(HubUnavailableException.Reason.BACKPLANE,
                    "cannot look the topic up right now: the backplane is unreachable", BACKPLANE_RETRY, e);
        }
        return found.map(info -> new TopicStatus(info.topic(), info.subscribers(), info.lastEventId(), info.retained()));
    }

    private List<Receipt> publish(List<Publication> publications, boolean batch, String idempotencyKey) {
        if (!enter.getAsBoolean()) {
            throw new HubUnavailableException(HubUnavailableException.Reason.SHUTTING_DOWN, "the hub is shutting down",
                    SHUTDOWN_RETRY, null);
        }
        try {
            List<Message> messages = messages(publications, batch);
            IdempotencyKey key = idempotencyKey == null ? null : IdempotencyKey.of(idempotencyKey, messages);
            List<PublishResult> results;
            try {
                quota.check(messages.stream().map(Message::topic).distinct().toList());
                results = Broker.await(broker.submit(messages, key));
            } catch (TopicLimitException e) {
                throw new HubUnavailableException(HubUnavailableException.Reason.TOPIC_LIMIT, e.getMessage(),
                        TOPIC_LIMIT_RETRY, e);
            } catch (PublishOutcomeUnknownException e) {
                throw new HubUnavailableException(HubUnavailableException.Reason.OUTCOME_UNKNOWN, e.getMessage(),
                        BACKPLANE_RETRY, e);
            } catch (BrokerUnavailableException e) {
                throw e.interrupted()
                        ? new HubUnavailableException(HubUnavailableException.Reason.INTERRUPTED,
                                "interrupted while waiting to publish", SHUTDOWN_RETRY, e)
                        : new HubUnavailableException(HubUnavailableException.Reason.BACKPLANE,
                                "cannot publish right now: the backplane is unreachable", BACKPLANE_RETRY, e);
            }
            List<Receipt> receipts = new ArrayList<>(results.size());
            for (PublishResult result : results) {
                receipts.add(new Receipt(result.topic(), result.delivered(), result.id()));
            }
            return receipts;
        } finally {
            exit.run();
        }
    }

    /** Every publication checked before any is published: one bad item refuses the batch. */
    private List<Message> messages(List<Publication> publications, boolean batch) {
        if (batch) {
            rules.batchSize(publications.size());
        }
        List<Message> messages = new ArrayList<>(publications.size());
        for (int i = 0; i < publications.size(); i++) {
            Publication publication = publications.get(i);
            if (publication == null) {
                throw new IllegalArgumentException((batch ? "item " + i + ": " : "") + "the publication is null");
            }
            try {
                messages.add(rules.message(publication.topic(), publication.msg(), publication.event(),
                        millis(publication.retry())));
            } catch (InvalidMessageException e) {
                throw batch ? e.at(i) : e;
            }
        }
        return messages;
    }

    /** Whole milliseconds; a delay too long for a long is out of range all the same. */
    private static Long millis(Duration retry) {
        if (retry == null) {
            return null;
        }
        try {
            return retry.toMillis();
        } catch (ArithmeticException e) {
            return retry.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
