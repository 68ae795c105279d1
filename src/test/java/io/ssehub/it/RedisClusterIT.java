package io.ssehub.it;

import io.ssehub.testing.RedisCluster;
import io.ssehub.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two nodes, one on Jetty and one on Tomcat, on a Redis Cluster of three shards (real
 * redis-servers the test starts on free loopback ports), through {@code redis-cluster://}: the
 * backplane's guarantees hold as on one Redis, with every name of the hub in one slot and its
 * channels shard channels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterIT {

    /** A key of the hub: its shard holds them all. */
    static final String HUB_KEY = "{ssehub}:seq";

    RedisCluster cluster;
    TwoNodes nodes;

    @BeforeAll
    void start() throws Exception {
        cluster = RedisCluster.start(3);
        try {
            nodes = TwoNodes.on(cluster.uri(), Map.of());
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (nodes != null) {
                nodes.close();
            }
        } finally {
            cluster.close();
        }
    }

    /**
     * Publishers on both nodes, on two topics, reach subscribers of both nodes, and of both topics
     * in one stream, in one order; every key of the hub is on one shard, the others hold none.
     */
    @Test
    void everyNodeSeesOneOrderAndTheHubLivesOnOneShard() throws Exception {
        ClusterIT.oneOrderUnderConcurrentPublishers(nodes, List.of("north", "south"), 50);
        RedisServer home = cluster.shardOf(HUB_KEY);
        assertEquals("1", home.cli("EXISTS", "{ssehub}:s:north"));
        assertEquals("1", home.cli("EXISTS", "{ssehub}:s:south"));
        for (RedisServer shard : cluster.nodes()) {
            if (shard != home) {
                assertEquals("0", shard.cli("DBSIZE"), "a shard other than the hub's holds nothing of it");
            }
        }
    }

    @Test
    void aClientResumesOnTheOtherNodeWithNothingLostOrRepeated() throws Exception {
        ClusterIT.resumeOnTheOtherNode(nodes);
    }

    /** A retried publish with the same Idempotency-Key is one publish, on whichever node it lands. */
    @Test
    void aRetryWithTheSameIdempotencyKeyCannotPublishTwice() throws Exception {
        ClusterIT.retryWithTheSameKey(nodes);
    }

    /**
     * The shard that holds the hub stops and starts again (with what its append-only file holds)
     * under publishers on both nodes: publishing answers 503 and /readyz 503 meanwhile, no stream
     * closes, and every subscriber receives every acknowledged event exactly once, in order, and
     * none that was refused.
     */
    @Test
    void aRestartOfTheHubsShardUnderPublishersKeepsStreamsOpenAndLosesNothingAcknowledged() throws Exception {
        ClusterIT.restartUnderPublishers(nodes, cluster.shardOf(HUB_KEY), "blip", false, ClusterIT::assertNothingLost);
        cluster.awaitOk();
    }

    /**
     * Another shard stops: the cluster refuses every command with a key until it is back, an outage
     * for the hub too (/readyz 503, publishing 503), which costs subscribers nothing.
     */
    @Test
    void aRestartOfAnotherShardIsAnOutageThatCostsSubscribersNothing() throws Exception {
        RedisServer home = cluster.shardOf(HUB_KEY);
        RedisServer other = cluster.nodes().stream().filter(node -> node != home).findFirst().orElseThrow();
        ClusterIT.restartUnderPublishers(nodes, other, "elsewhere", false, ClusterIT::assertNothingLost);
        cluster.awaitOk();
    }

    /**
     * The hub's shard fails over: its master stops, and the cluster promotes the replica the test
     * gave it. Nodes follow the slot to the new master; their streams stay open, every event
     * acknowledged after the failover reaches both once, none refused arrives, and ids only go up.
     */
    @Test
    void aFailoverOfTheHubsShardToItsReplicaKeepsStreamsOpenAndIdsGoingUp() throws Exception {
        try (RedisCluster own = RedisCluster.start(3)) {
            RedisServer master = own.shardOf(HUB_KEY);
            RedisServer replica = own.addReplicaOf(master);
            ClusterIT.failoverUnderAPublisher(own.uri(), master::stopProcess,
                    () -> ClusterIT.cli(replica, "ROLE").startsWith("master"));
        }
    }
}
