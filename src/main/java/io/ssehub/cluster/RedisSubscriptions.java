package io.ssehub.cluster;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.ssehub.hub.EventId;
import io.ssehub.hub.SubscriptionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Mercure subscriptions of every node, in Redis: each node whose front end records them
 * keeps its own in a hash ({@link RedisKeys#subscriptions}) under a lease it renews at every ping
 * ({@link RedisKeys#SUBSCRIPTION_NODES}), writes a subscription when its stream opens and deletes
 * it when it closes. A list reads the hashes of the nodes whose lease holds. A node whose lease ran
 * out is claimed by one other node ({@code claim.lua}), which announces its subscriptions
 * inactive: once over the cluster.
 *
 * <p>Every write goes on the one command connection in the order of this node's changes (taken
 * under a lock), so a deletion is never overtaken by the write it undoes; and a subscription is
 * written before its subscription event is published, on the same connection. When a write may
 * have missed Redis (it failed, or Redis was away) or Redis lost the hash (it restarted empty, or
 * the lease ran out), the next renewal writes the hash again whole.
 * Thread-safe; nothing blocks but {@link #close}.
 */
final class RedisSubscriptions implements SubscriptionRegistry {

    private static final Logger log = LoggerFactory.getLogger(RedisSubscriptions.class);
    /** The shortest lease: a node paused (a long collection, a slow restart of Redis) keeps its subscriptions. */
    static final Duration MIN_LEASE = Duration.ofSeconds(15);
    /** Dead nodes claimed per renewal. */
    static final int CLAIMS_PER_RENEWAL = 4;

    private final RedisConnections commands;
    private final RedisClock clock;
    private final String node = UUID.randomUUID().toString();
    private final String key = RedisKeys.subscriptions(node);
    private final long leaseMillis;
    private final LuaScript claim = LuaScript.load("claim.lua");
    private final Object lock = new Object();
    /** This node's subscriptions by subscriber, then by field; guarded by {@link #lock}. */
    private final Map<String, Map<String, String>> own = new HashMap<>();
    /** Whether a write may have missed Redis since the hash was last written whole; guarded by {@link #lock}. */
    private boolean dirty;
    private final ScheduledExecutorService scheduler;
    private final long every;
    /** The renewals, once the registry is in use; guarded by {@link #lock}. */
    private ScheduledFuture<?> renewals;
    private boolean closed;
    private volatile Consumer<List<String>> abandoned = records -> { };

    /** Does nothing in Redis until the front end uses it ({@link #onAbandoned}, {@link #add}). */
    RedisSubscriptions(RedisConnections commands, RedisClock clock, Duration pingInterval,
                       ScheduledExecutorService scheduler) {
        this.commands = commands;
        this.clock = clock;
        this.scheduler = scheduler;
        this.every = Math.max(1, pingInterval.toMillis());
        this.leaseMillis = Math.max(MIN_LEASE.toMillis(), 10 * every);
    }

    /**
     * Starts renewing this node's lease, at every ping, and claiming dead nodes: only a node whose
     * Mercure front end records subscriptions ({@code ssehub.mercure.subscriptions}) has a lease,
     * so one without costs Redis nothing. Idempotent.
     */
    private void start() {
        synchronized (lock) {
            if (renewals == null && !closed) {
                renewals = scheduler.scheduleWithFixedDelay(this::renew, 0, every, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void add(String subscriber, Map<String, String> byTopic) {
        Map<String, String> fields = new HashMap<>();
        byTopic.forEach((topic, record) -> fields.put(field(subscriber, topic), record));
        if (fields.isEmpty()) {
            return;
        }
        start();
        synchronized (lock) {
            own.put(subscriber, fields);
            write(fields);
        }
    }

    @Override
    public void remove(String subscriber) {
        synchronized (lock) {
            Map<String, String> fields = own.remove(subscriber);
            if (fields == null) {
                return;
            }
            if (commands.commandsOpen()) {
                commands.commands().hdel(key, fields.keySet().toArray(String[]::new)).whenComplete(this::missed);
            } else {
                dirty = true;
            }
        }
    }

    /** Under {@link #lock}: sends the fields and keeps the hash's expiry past the lease. */
    private void write(Map<String, String> fields) {
        if (!commands.commandsOpen()) {
            dirty = true;
            return;
        }
        RedisClusterAsyncCommands<String, String> redis = commands.commands();
        redis.hset(key, fields).whenComplete(this::missed);
        redis.pexpire(key, 2 * leaseMillis);
    }

    /** Notes a write that failed; may run at once on the writing thread, which holds the lock. */
    private void missed(Object reply, Throwable error) {
        if (error != null) {
            synchronized (lock) {
                dirty = true;
            }
        }
    }

    @Override
    public CompletionStage<Listing> list() {
        RedisClusterAsyncCommands<String, String> redis = commands.commands();
        // The newest id is read first: Redis runs this connection's commands in order, so every
        // change announced at or before it is already in the hashes read next.
        CompletableFuture<List<KeyValue<String, String>>> newest = redis.mget(RedisKeys.EPOCH, RedisKeys.SEQ)
                .toCompletableFuture();
        CompletableFuture<List<String>> nodes = redis.zrangebyscore(RedisKeys.SUBSCRIPTION_NODES,
                Range.create((double) clock.redisMillis(), Double.POSITIVE_INFINITY)).toCompletableFuture();
        return nodes.thenCompose(live -> {
            List<CompletableFuture<List<String>>> hashes = new ArrayList<>();
            for (String each : live) {
                hashes.add(redis.hvals(RedisKeys.subscriptions(each)).toCompletableFuture());
            }
            return CompletableFuture.allOf(hashes.toArray(CompletableFuture[]::new)).thenCombine(newest, (done, id) -> {
                List<String> records = new ArrayList<>();
                hashes.forEach(hash -> records.addAll(hash.join()));
                String epoch = id.get(0).getValueOrElse("");
                long seq = Long.parseLong(id.get(1).getValueOrElse("0"));
                return new Listing(records, new EventId(epoch.isEmpty() ? "none" : epoch, seq).toString());
            });
        });
    }

    @Override
    public void onAbandoned(Consumer<List<String>> announce) {
        this.abandoned = announce;
        start();
    }

    /** Renews the lease, writes the hash again if Redis lost it, and claims dead nodes; on the scheduler. */
    private void renew() {
        if (!commands.commandsOpen()) {
            return;
        }
        RedisClusterAsyncCommands<String, String> redis = commands.commands();
        long now = clock.redisMillis();
        redis.zadd(RedisKeys.SUBSCRIPTION_NODES, (double) (now + leaseMillis), node);
        synchronized (lock) {
            if (dirty) {
                rewrite();
            } else {
                redis.pexpire(key, 2 * leaseMillis).thenAccept(existed -> {
                    if (!existed) {
                        rewrite();
                    }
                });
            }
        }
        redis.zrangebyscore(RedisKeys.SUBSCRIPTION_NODES, Range.create(Double.NEGATIVE_INFINITY, (double) now),
                Limit.from(CLAIMS_PER_RENEWAL)).thenAccept(dead -> dead.stream().filter(n -> !n.equals(node)).forEach(this::claim));
    }

    /** Writes the hash again whole: what this node holds, and nothing it no longer does. */
    private void rewrite() {
        synchronized (lock) {
            if (!commands.commandsOpen()) {
                dirty = true;
                return;
            }
            dirty = false;
            commands.commands().del(key).whenComplete(this::missed);
            Map<String, String> all = new HashMap<>();
            own.values().forEach(all::putAll);
            if (!all.isEmpty()) {
                write(all);
            }
        }
    }

    private void claim(String dead) {
        claim.run(commands.scripting(), new String[]{RedisKeys.SUBSCRIPTION_NODES, RedisKeys.subscriptions(dead)}, dead)
                .thenAccept(reply -> {
                    List<String> records = ((List<?>) reply).stream().map(Object::toString).toList();
                    if (!records.isEmpty()) {
                        log.info("node {} left {} Mercure subscriptions behind; announcing them inactive", dead, records.size());
                        abandoned.accept(records);
                    }
                })
                .exceptionally(error -> {
                    log.debug("could not claim the subscriptions of node {}: {}", dead, error.toString());
                    return null;
                });
    }

    /** Forgets this node's subscriptions in Redis, waiting a moment; before the connection closes. */
    void close() {
        boolean used;
        synchronized (lock) {
            closed = true;
            used = renewals != null;
            if (used) {
                renewals.cancel(false);
            }
            own.clear();
        }
        if (!used) {
            return;
        }
        if (!commands.commandsOpen()) {
            return;
        }
        try {
            CompletableFuture.allOf(commands.commands().del(key).toCompletableFuture(),
                    commands.commands().zrem(RedisKeys.SUBSCRIPTION_NODES, node).toCompletableFuture())
                    .get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("could not forget this node's subscriptions in Redis: {}", e.toString());
        }
    }

    private static String field(String subscriber, String topic) {
        return subscriber + "\n" + topic;
    }
}
