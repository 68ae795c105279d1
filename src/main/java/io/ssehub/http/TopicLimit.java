package io.ssehub.http;

import io.ssehub.hub.Hub;
import io.ssehub.hub.TopicLimitException;
import io.ssehub.hub.TopicQuota;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Keeps the topics of this node bounded, for every front end: in all ({@link TopicQuota}, shared
 * with the Java API; 503 once the node holds its maximum and a request names a new topic), and per
 * client: a client may have created at most {@code perClient} of the topics the node holds now
 * (429). A topic counts for the client whose stream or publish named it first; it stops counting
 * once the hub has let it go (no subscriber, no history), so a client that waits may create more.
 * Both answers carry {@code Retry-After}.
 *
 * <p>Thread-safe. The counts are read without a lock around the request that creates the topic, so
 * a burst of one client's requests may overshoot by a few. What is remembered of a client is
 * forgotten once none of its topics is held any more (checked at most every {@link #SWEEP_NANOS}).
 */
public final class TopicLimit {

    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Hub hub;
    private final TopicQuota quota;
    private final int perClient;
    private final ConcurrentHashMap<String, Set<String>> created = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong(System.nanoTime() + SWEEP_NANOS);

    /**
     * @param max       topics the node may hold
     * @param perClient topics one client may have created among them; 0 for no limit
     */
    public TopicLimit(Hub hub, int max, int perClient) {
        this.hub = hub;
        this.quota = new TopicQuota(hub, max);
        this.perClient = perClient;
    }

    /**
     * Admits a request of {@code client} naming {@code topics}, and counts those that are new as
     * the client's. The client is asked for only when there is a limit per client.
     *
     * @throws ProblemException 503 if a topic would be new and the node is full; 429 if the new
     *                          topics would take the client over its limit
     */
    public void check(Supplier<String> client, Collection<String> topics) {
        try {
            quota.check(topics);
        } catch (TopicLimitException e) {
            throw ProblemException.overloaded("topic-limit", e.getMessage(), Brokers.TOPIC_LIMIT_RETRY_SECONDS);
        }
        if (perClient <= 0) {
            return;
        }
        sweepNowAndThen();
        List<String> fresh = topics.stream().filter(topic -> !hub.holds(topic)).distinct().toList();
        if (fresh.isEmpty()) {
            return;
        }
        Set<String> own = created.computeIfAbsent(client.get(), c -> ConcurrentHashMap.newKeySet());
        if (own.size() + fresh.size() > perClient) {
            own.removeIf(topic -> !hub.holds(topic));
            if (own.size() + fresh.size() > perClient) {
                throw ProblemException.tooManyRequests("topic-limit",
                        "this client has created " + own.size() + " of the topics this node holds, and may create "
                                + perClient, Brokers.TOPIC_LIMIT_RETRY_SECONDS);
            }
        }
        own.addAll(fresh);
    }

    /** Forgets the topics the hub let go, and the clients left with none. */
    private void sweepNowAndThen() {
        long now = System.nanoTime();
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + SWEEP_NANOS)) {
            return;
        }
        created.forEach((client, own) -> {
            own.removeIf(topic -> !hub.holds(topic));
            created.remove(client, Set.of());
        });
    }
}
