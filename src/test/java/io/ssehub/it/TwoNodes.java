package io.ssehub.it;

import io.ssehub.testing.Http;
import io.ssehub.testing.JettyServer;
import io.ssehub.testing.RedisServer;
import io.ssehub.testing.TestServer;
import io.ssehub.testing.TomcatServer;

import java.util.HashMap;
import java.util.Map;

/**
 * A real redis-server on a free loopback port (or a Redis the caller started) and two nodes sharing
 * it, node A on Jetty and node B on Tomcat: what the cluster suites start once per class.
 */
final class TwoNodes implements AutoCloseable {

    /** The Redis these nodes started, {@code null} when the caller owns it. */
    final RedisServer redis;
    final TestServer a;
    final TestServer b;
    final Http httpA;
    final Http httpB;

    private TwoNodes(RedisServer redis, TestServer a, TestServer b) {
        this.redis = redis;
        this.a = a;
        this.b = b;
        this.httpA = new Http(a.base());
        this.httpB = new Http(b.base());
    }

    /** Starts Redis and both nodes with the cluster's settings and {@code more}; stops what started if one fails. */
    static TwoNodes start(Map<String, String> more) throws Exception {
        RedisServer redis = RedisServer.start();
        try {
            return start(redis, redis.uri(), more);
        } catch (Exception | Error e) {
            redis.close();
            throw e;
        }
    }

    /** Starts both nodes on the Redis at {@code uri}, which the caller starts and stops. */
    static TwoNodes on(String uri, Map<String, String> more) throws Exception {
        return start(null, uri, more);
    }

    private static TwoNodes start(RedisServer redis, String uri, Map<String, String> more) throws Exception {
        TestServer a = null;
        try {
            Map<String, String> params = new HashMap<>(Map.of(
                    "ssehub.tick.interval", "0",
                    "ssehub.keepalive.interval", "300ms",
                    "ssehub.subscriber.queue", "1024",
                    "ssehub.history.size", "1000",
                    "ssehub.backplane", "redis",
                    "ssehub.redis.uri", uri));
            params.putAll(more);
            a = JettyServer.FACTORY.start(params);
            return new TwoNodes(redis, a, TomcatServer.FACTORY.start(params));
        } catch (Exception | Error e) {
            if (a != null) {
                a.close();
            }
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{a, b, redis}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
