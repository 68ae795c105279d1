package io.ssehub.bench.target;

import io.ssehub.bench.load.PublishFormat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Two ssehub nodes, each in its own JVM, sharing topics through a {@code redis-server} started for
 * the run on a free loopback port without persistence. Stopped by process id, like every target.
 */
public final class ClusterTarget implements Target {

    private final Process redis;
    private final List<JvmTarget> nodes;
    private final String configuration;

    private ClusterTarget(Process redis, List<JvmTarget> nodes, String configuration) {
        this.redis = redis;
        this.nodes = nodes;
        this.configuration = configuration;
    }

    public static ClusterTarget start(JvmTarget.Container container, Path war, String java, List<String> jvmArgs,
                                      Map<String, String> settings, Path out) throws IOException, InterruptedException {
        int port = Processes.freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.resolve("redis.log").toFile()))
                .start();
        List<JvmTarget> nodes = new ArrayList<>();
        try {
            Processes.awaitPort(redis, port, 30_000);
            Map<String, String> clustered = new LinkedHashMap<>(settings);
            clustered.put("ssehub.backplane", "redis");
            clustered.put("ssehub.redis.uri", "redis://127.0.0.1:" + port + "/0");
            for (int i = 0; i < 2; i++) {
                nodes.add(JvmTarget.war(container, war, java, jvmArgs, clustered, out.resolve("ssehub-node" + i + ".log")));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.forEach(JvmTarget::close);
            Processes.stop(redis, List.of());
            throw e;
        }
        return new ClusterTarget(redis, nodes, "2 nodes, redis-server on :" + port + ", each " + nodes.get(0).configuration());
    }

    @Override
    public String name() {
        return nodes.get(0).name() + "-x2";
    }

    @Override
    public InetSocketAddress address() {
        return nodes.get(0).address();
    }

    @Override
    public List<InetSocketAddress> addresses() {
        return nodes.stream().map(JvmTarget::address).toList();
    }

    @Override
    public PublishFormat publishFormat() {
        return nodes.get(0).publishFormat();
    }

    @Override
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        nodes.forEach(node -> pids.addAll(node.pids()));
        pids.add(redis.pid());
        return pids;
    }

    @Override
    public OptionalLong liveHeapBytes() {
        return OptionalLong.empty();
    }

    @Override
    public String configuration() {
        return configuration;
    }

    @Override
    public void close() {
        nodes.forEach(JvmTarget::close);
        Processes.stop(redis, List.of());
    }
}
