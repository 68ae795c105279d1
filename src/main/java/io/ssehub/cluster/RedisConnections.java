package io.ssehub.cluster;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A node's two connections to Redis, whichever Redis it is: one server (or the master Sentinel
 * names), or a Redis Cluster ({@code redis-cluster://host:port,host:port}).
 *
 * <p>On a cluster every name the backplane uses is in the one slot of {@link RedisKeys#PREFIX}'s
 * hash tag, so the scripts run on the shard that owns it, and channels are shard channels
 * ({@code SSUBSCRIBE}, and {@code SPUBLISH} in the publish script): Redis sends their messages to
 * that shard's subscribers only, not over the cluster bus to every shard, and in the order the
 * scripts ran, as one server does. Lettuce routes each script to the owner of its slot and
 * follows the slot when it moves (a failover to a replica). The subscriptions and the pings go
 * to that owner on one connection, which this class picks by the slot map Lettuce keeps.
 *
 * <p>Thread-safe; every stage completes on Lettuce's event loop.
 */
final class RedisConnections implements AutoCloseable {

    /** The URI schemes of a Redis Cluster, each followed by seed nodes {@code host:port,host:port}. */
    private static final List<String> CLUSTER_SCHEMES = List.of("redis-cluster://", "rediss-cluster://");

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> commands;
    private final RedisClusterAsyncCommands<String, String> scripting;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final boolean cluster;

    private RedisConnections(AbstractRedisClient client, StatefulConnection<String, String> commands,
                             RedisClusterAsyncCommands<String, String> scripting,
                             StatefulRedisPubSubConnection<String, String> pubsub, boolean cluster) {
        this.client = client;
        this.commands = commands;
        this.scripting = scripting;
        this.pubsub = pubsub;
        this.cluster = cluster;
    }

    /** Whether the URI names a Redis Cluster. */
    static boolean isCluster(String uri) {
        return CLUSTER_SCHEMES.stream().anyMatch(uri::startsWith);
    }

    /**
     * Connects both; a Redis that cannot be reached fails at once.
     *
     * @param options what every command of either kind of client is given
     */
    static RedisConnections open(String uri, ClientResources resources, ClientOptions options) {
        if (!isCluster(uri)) {
            RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
            client.setOptions(options);
            return connect(client, () -> {
                StatefulRedisConnection<String, String> commands = client.connect();
                return new RedisConnections(client, commands, commands.async(), client.connectPubSub(), false);
            });
        }
        // redis-cluster://a:1,b:2 is Lettuce's redis://a:1,b:2 for a cluster client
        RedisClusterClient client = RedisClusterClient.create(resources, uri.replaceFirst("-cluster://", "://"));
        client.setOptions(ClusterClientOptions.builder(options)
                // follow a failover promptly: MOVED replies and lost nodes refresh the slot map
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .build());
        return connect(client, () -> {
            StatefulRedisClusterConnection<String, String> commands = client.connect();
            routeToTheHub(commands, RedisBroker.COMMAND_TIMEOUT);
            return new RedisConnections(client, commands, commands.async(), client.connectPubSub(), true);
        });
    }

    /**
     * Lettuce connects to a slot's owner on the first command routed there, and rejects that
     * command while it connects (commands are rejected while disconnected, so that a publish
     * during an outage fails at once): route one to the hub's slot until it gets through, so the
     * first publish is not refused. After a failover the first command to the new owner is, once.
     */
    private static void routeToTheHub(StatefulRedisClusterConnection<String, String> commands, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                commands.sync().exists(RedisKeys.SEQ);
                return;
            } catch (io.lettuce.core.RedisException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /** Connects with {@code connect}; if that fails, shuts the client down before saying so. */
    private static RedisConnections connect(AbstractRedisClient client, Supplier<RedisConnections> connect) {
        try {
            return connect.get();
        } catch (RuntimeException e) {
            shutdown(client);
            throw e;
        }
    }

    /** Where the scripts run. */
    RedisScriptingAsyncCommands<String, String> scripting() {
        return scripting;
    }

    /** The commands both a server and a cluster take (on a cluster, routed by each key's slot). */
    RedisClusterAsyncCommands<String, String> commands() {
        return scripting;
    }

    /** Whether the command connection is up (not the subscription's). */
    boolean commandsOpen() {
        return commands.isOpen();
    }

    /** The connection live events arrive on (on a cluster, their messages come through it too). */
    StatefulRedisPubSubConnection<String, String> pubsub() {
        return pubsub;
    }

    boolean isOpen() {
        return commands.isOpen() && pubsub.isOpen();
    }

    /** The command the publish script sends channel messages with. */
    String publishCommand() {
        return cluster ? "SPUBLISH" : "PUBLISH";
    }

    /**
     * Notices a lost connection at once. On a cluster Lettuce reports the connections to every
     * node (and its short-lived topology probes) alike, which say nothing of the hub's shard: there
     * the pings alone tell an outage.
     */
    void addListener(RedisConnectionStateListener listener) {
        if (!cluster) {
            client.addListener(listener);
        }
    }

    CompletionStage<Void> subscribe(String... channels) {
        return cluster ? hubPubSub().thenCompose(hub -> hub.async().ssubscribe(channels))
                : pubsub.async().subscribe(channels);
    }

    void unsubscribe(String... channels) {
        if (cluster) {
            hubPubSub().thenAccept(hub -> hub.async().sunsubscribe(channels));
        } else {
            pubsub.async().unsubscribe(channels);
        }
    }

    /**
     * Pings the pub/sub connection that carries the subscriptions. A cluster that lost a shard
     * answers {@code PING} but refuses every command with a key ({@code CLUSTERDOWN}), so there
     * the hub's slot is read too.
     */
    CompletionStage<String> ping() {
        if (!cluster) {
            return pubsub.async().ping();
        }
        return hubPubSub().thenCompose(hub -> hub.async().ping()).thenCompose(pong ->
                ((StatefulRedisClusterConnection<String, String>) commands).async().exists(RedisKeys.SEQ).thenApply(n -> pong));
    }

    /**
     * On a cluster, the pub/sub connection to the hub's shard, once connected: Lettuce hands its
     * messages to the listeners of {@link #pubsub()}. After an outage {@code Resync} subscribes
     * again, on whichever node owns the slot then.
     */
    private CompletableFuture<StatefulRedisPubSubConnection<String, String>> hubPubSub() {
        StatefulRedisClusterPubSubConnection<String, String> shards = (StatefulRedisClusterPubSubConnection<String, String>) pubsub;
        return hubNode(shards.getPartitions()).thenCompose(node ->
                shards.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort()));
    }

    /** Redis's {@code TIME} where the scripts run: on a cluster, on the hub's shard. */
    CompletionStage<List<String>> time() {
        if (!cluster) {
            return ((StatefulRedisConnection<String, String>) commands).async().time();
        }
        StatefulRedisClusterConnection<String, String> shards = (StatefulRedisClusterConnection<String, String>) commands;
        return hubNode(shards.getPartitions()).thenCompose(node ->
                shards.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort()))
                .thenCompose(connection -> connection.async().time());
    }

    /** The node that owns the slot of every name of the backplane, as this client last learnt it. */
    private static CompletableFuture<RedisClusterNode> hubNode(io.lettuce.core.cluster.models.partitions.Partitions partitions) {
        RedisClusterNode node = partitions.getPartitionBySlot(SlotHash.getSlot(RedisKeys.SEQ));
        return node == null
                ? CompletableFuture.failedFuture(new IllegalStateException("no node owns slot " + SlotHash.getSlot(RedisKeys.SEQ)))
                : CompletableFuture.completedFuture(node);
    }

    @Override
    public void close() {
        try {
            pubsub.close();
            commands.close();
        } finally {
            shutdown(client);
        }
    }

    private static void shutdown(AbstractRedisClient client) {
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
