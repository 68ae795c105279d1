package io.ssehub.cluster;

import io.ssehub.hub.Broker;
import io.ssehub.hub.EventId;

import java.util.Optional;

/**
 * Places a resume id in the cluster's sequence: the hub's own ids name their seq, and a
 * publisher's id (Mercure's {@code id}) names the seq of the retained event that carries it, as
 * the publish script records it in {@link RedisKeys#IDS}. A publisher's id never takes the hub's
 * form in the epoch it was published in, so the two cannot be confused.
 *
 * <p>Blocking: call it on the backplane's own threads.
 */
final class PublisherIds {

    private final RedisConnections redis;

    PublisherIds(RedisConnections redis) {
        this.redis = redis;
    }

    /**
     * The event an id names: a publisher's while Redis retains its event, else the hub's id it
     * parses as, else empty (history cannot place it).
     *
     * @throws io.ssehub.hub.BrokerUnavailableException Redis did not answer in time
     */
    Optional<EventId> resolve(String lastEventId) {
        String held = Broker.await(redis.commands().hget(RedisKeys.IDS, lastEventId));
        if (held == null) {
            return EventId.parse(lastEventId);
        }
        String[] words = held.split(" ", 3);
        return Optional.of(new EventId(words[0], Long.parseLong(words[1])));
    }
}
