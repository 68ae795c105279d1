package io.ssehub.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of real {@code redis-server} processes, one master per shard and no replicas,
 * on free loopback ports: started, given all 16384 slots with {@code redis-cli --cluster create},
 * and stopped by the test (only its own processes).
 */
public final class RedisCluster implements AutoCloseable {

    /** How long a shard may be silent before the others count it failed (and the cluster down). */
    static final long NODE_TIMEOUT_MILLIS = 1_000;

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** Starts {@code count} shards (at least 3, as Redis requires) and waits until the cluster answers. */
    public static RedisCluster start(int count) throws IOException, InterruptedException {
        List<RedisServer> nodes = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(nodes);
        try {
            for (int i = 0; i < count; i++) {
                nodes.add(RedisServer.clusterNode(NODE_TIMEOUT_MILLIS));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create);
            cluster.awaitOk();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Runs {@code redis-cli --cluster ...}, which must succeed. */
    private static void run(List<String> command) throws IOException, InterruptedException {
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            cli.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    /**
     * Adds a replica of {@code master} to the cluster and waits until it has caught up: when the
     * master fails, the cluster promotes it.
     */
    public RedisServer addReplicaOf(RedisServer master) throws IOException, InterruptedException {
        RedisServer replica = RedisServer.clusterNode(NODE_TIMEOUT_MILLIS);
        nodes.add(replica);
        run(List.of("redis-cli", "--cluster", "add-node", "127.0.0.1:" + replica.port(), "127.0.0.1:" + master.port(),
                "--cluster-slave", "--cluster-master-id", master.cli("CLUSTER", "MYID")));
        Await.until(Duration.ofSeconds(30), () -> answers(replica, "INFO", "replication").contains("master_link_status:up"),
                "the replica to catch up with its master");
        awaitOk();
        return replica;
    }

    /** The URI the hub is given: every node as a seed node. */
    public String uri() {
        return "redis-cluster://" + nodes.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    /** Every node: the shards' masters, and any replica added. */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /** The shard that owns {@code key}'s slot: the one that does not redirect it elsewhere. */
    public RedisServer shardOf(String key) throws IOException, InterruptedException {
        for (RedisServer node : nodes) {
            String answer = node.cli("EXISTS", key);
            if (answer.equals("0") || answer.equals("1")) {
                return node; // the others answer MOVED, or nothing when stopped
            }
        }
        throw new IllegalStateException("no shard owns " + key);
    }

    /** Waits until every node sees the cluster whole ({@code cluster_state:ok}). */
    public void awaitOk() {
        Await.until(Duration.ofSeconds(30), () -> nodes.stream().allMatch(node -> answers(node, "CLUSTER", "INFO")
                .contains("cluster_state:ok")), "every node to report cluster_state:ok");
    }

    /** What the node answers to a command, or {@code ""} if it does not. */
    private static String answers(RedisServer node, String... command) {
        try {
            return node.cli(command);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (RedisServer node : nodes) {
            node.close();
        }
    }
}
