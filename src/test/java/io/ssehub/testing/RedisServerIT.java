package io.ssehub.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The suite's own {@code redis-server} starts, on the ports the kernel hands out: the Redis suites
 * (cluster, Sentinel, resume) fail at their first line if it does not.
 */
class RedisServerIT {

    /** Redis puts a cluster node's bus 10,000 ports above its own unless told otherwise. */
    @Test
    void aClusterNodeOnAPortAbove55535Starts() throws Exception {
        int high = freePortFrom(55_536);
        int bus = RedisServer.freePorts(1)[0];
        try (RedisServer node = RedisServer.clusterNode(5_000, count -> count == 2 ? new int[] {high, bus} : null)) {
            assertEquals(high, node.port());
            assertTrue(node.cli("cluster", "info").contains("cluster_state:"), "a cluster node");
            assertEquals(Integer.toString(bus), node.cli("config", "get", "cluster-port").lines().skip(1).findFirst().orElse(""));
        }
    }

    /** Another socket took the port between the moment it was found free and redis-server's bind. */
    @Test
    void aPortTakenBeforeRedisBindsItIsTriedAgainOnAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicInteger asked = new AtomicInteger();
            RedisServer.PortSource source = count -> asked.getAndIncrement() == 0
                    ? new int[] {taken.getLocalPort()} : RedisServer.freePorts(count);
            try (RedisServer redis = RedisServer.start(source)) {
                assertEquals(2, asked.get(), "a second pair of ports");
                assertNotEquals(taken.getLocalPort(), redis.port());
                assertEquals("PONG", redis.cli("ping"));
            }
        }
    }

    private static int freePortFrom(int first) throws IOException {
        for (int port = first; port <= 65_535; port++) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException inUse) {
                // the next
            }
        }
        throw new IOException("no free port from " + first);
    }
}
