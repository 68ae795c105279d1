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

    private final List<RedisServer> shards;

    private RedisCluster(List<RedisServer> shards) {
        this.shards = shards;
    }

    /** Starts {@code count} shards (at least 3, as Redis requires) and waits until the cluster answers. */
    public static RedisCluster start(int count) throws IOException, InterruptedException {
        List<RedisServer> shards = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(shards);
        try {
            for (int i = 0; i < count; i++) {
                shards.add(RedisServer.clusterNode(NODE_TIMEOUT_MILLIS));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            shards.forEach(shard -> create.add("127.0.0.1:" + shard.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process cli = new ProcessBuilder(create).redirectErrorStream(true).start();
            String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                cli.destroyForcibly();
                throw new IOException("redis-cli --cluster create failed: " + output);
            }
            cluster.awaitOk();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The URI the hub is given: every shard as a seed node. */
    public String uri() {
        return "redis-cluster://" + shards.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    public List<RedisServer> shards() {
        return shards;
    }

    /** The shard that owns {@code key}'s slot: the one that does not redirect it elsewhere. */
    public RedisServer shardOf(String key) throws IOException, InterruptedException {
        for (RedisServer shard : shards) {
            if (!shard.cli("EXISTS", key).startsWith("MOVED")) {
                return shard;
            }
        }
        throw new IllegalStateException("no shard owns " + key);
    }

    /** Waits until every shard that runs sees the cluster whole ({@code cluster_state:ok}). */
    public void awaitOk() {
        Await.until(Duration.ofSeconds(30), () -> shards.stream().allMatch(RedisCluster::reportsOk),
                "every shard to report cluster_state:ok");
    }

    private static boolean reportsOk(RedisServer shard) {
        try {
            return shard.cli("CLUSTER", "INFO").contains("cluster_state:ok");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (RedisServer shard : shards) {
            shard.close();
        }
    }
}
