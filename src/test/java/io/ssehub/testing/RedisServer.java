package io.ssehub.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, started and stopped by the test
 * (only this process, by its handle). It writes every command to its append-only file before
 * answering, in a directory of its own, so a restart keeps what was acknowledged unless the test
 * {@linkplain #forgetData() forgets it}.
 *
 * <p>A port found free can be taken before {@code redis-server} binds it (another socket of the
 * suite may get it as its own ephemeral port): the process then exits at once, and the first start
 * tries again on fresh ports. A cluster node's bus gets a free port of its own
 * ({@code --cluster-port}): Redis would otherwise take the port 10,000 above the node's, which is
 * past 65,535 for a fifth of the kernel's ephemeral range and may be another socket's below it.
 */
public final class RedisServer implements AutoCloseable {

    private static final int ATTEMPTS = 3;

    private final int port;
    /** The cluster bus's port, or 0 for a server that is no cluster node. */
    private final int busPort;
    private final File log;
    private final java.nio.file.Path dir;
    /** What follows {@code redis-server} and the common options: a replica's master, a sentinel's config. */
    private final java.util.List<String> role;
    private Process process;

    private RedisServer(int port, int busPort, java.nio.file.Path dir, java.util.List<String> role) throws IOException {
        this.port = port;
        this.busPort = busPort;
        this.log = File.createTempFile("ssehub-redis", ".log");
        log.deleteOnExit();
        this.dir = dir;
        this.role = role;
    }

    public static RedisServer start() throws IOException {
        return start(RedisServer::freePorts);
    }

    static RedisServer start(PortSource ports) throws IOException {
        return start(java.nio.file.Files.createTempDirectory("ssehub-redis"), java.util.List.of(), false, ports);
    }

    /** A replica of {@code master}, which Sentinel may promote. */
    public static RedisServer replicaOf(RedisServer master) throws IOException {
        return start(java.nio.file.Files.createTempDirectory("ssehub-redis"),
                java.util.List.of("--replicaof", "127.0.0.1", Integer.toString(master.port)), false,
                RedisServer::freePorts);
    }

    /**
     * A node of a Redis Cluster, with no slots yet ({@link RedisCluster} gives it some). Its cluster
     * state lives in its directory with its data, so a restart rejoins the cluster as the same node.
     */
    static RedisServer clusterNode(long nodeTimeoutMillis) throws IOException {
        return clusterNode(nodeTimeoutMillis, RedisServer::freePorts);
    }

    static RedisServer clusterNode(long nodeTimeoutMillis, PortSource ports) throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ssehub-redis-cluster");
        return start(dir, java.util.List.of("--cluster-enabled", "yes",
                "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                "--cluster-node-timeout", Long.toString(nodeTimeoutMillis)), true, ports);
    }

    /**
     * A Sentinel (the same {@code redis-server} binary in sentinel mode) watching {@code master}
     * under {@code name}, alone in its quorum, that finds it down after {@code downAfterMillis}.
     */
    public static RedisServer sentinelOf(RedisServer master, String name, long downAfterMillis) throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ssehub-sentinel");
        java.nio.file.Path config = dir.resolve("sentinel.conf");
        java.nio.file.Files.writeString(config, String.join("\n",
                "sentinel monitor " + name + " 127.0.0.1 " + master.port + " 1",
                "sentinel down-after-milliseconds " + name + " " + downAfterMillis,
                "sentinel failover-timeout " + name + " 10000",
                "sentinel parallel-syncs " + name + " 1", ""), StandardCharsets.UTF_8);
        return start(dir, java.util.List.of(config.toString(), "--sentinel"), false, RedisServer::freePorts);
    }

    private static RedisServer start(java.nio.file.Path dir, java.util.List<String> role, boolean clusterBus,
                                     PortSource source) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int[] ports = source.take(clusterBus ? 2 : 1);
            RedisServer server = new RedisServer(ports[0], clusterBus ? ports[1] : 0, dir, role);
            try {
                server.startProcess();
                return server;
            } catch (PortTaken e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                if (clusterBus) {
                    deleteUnder(dir); // the id the node gave itself before it gave up, and its empty data
                }
            }
        }
    }

    /** Where a start takes its ports: the node's, then its cluster bus's. */
    @FunctionalInterface
    interface PortSource {
        int[] take(int count) throws IOException;
    }

    /** {@code count} distinct loopback ports that were free a moment ago. */
    static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    /** The process exited before it answered, as its port or its bus's was in use. */
    static final class PortTaken extends IOException {
        PortTaken(String message) {
            super(message);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** The URI through which a client finds the master this Sentinel watches under {@code name}. */
    public String sentinelUri(String name) {
        return "redis-sentinel://127.0.0.1:" + port + "/0#" + name;
    }

    /** Starts it again on the same port, with what its append-only file holds. */
    public void startProcess() throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("redis-server"));
        boolean sentinel = role.contains("--sentinel");
        if (sentinel) {
            command.add(role.get(0)); // the config file comes first
        }
        command.addAll(java.util.List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no"));
        if (sentinel) {
            command.add("--sentinel");
        } else {
            command.addAll(java.util.List.of("--save", "", "--appendonly", "yes", "--appendfsync", "always",
                    "--dir", dir.toString()));
            command.addAll(role);
            if (busPort > 0) {
                command.addAll(java.util.List.of("--cluster-port", Integer.toString(busPort)));
            }
        }
        int logged = (int) log.length();
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
        Await.until(Duration.ofSeconds(10), () -> answersPing() || !process.isAlive(),
                "redis-server to answer PING on port " + port);
        if (!process.isAlive() && !answersPing()) {
            byte[] written = java.nio.file.Files.readAllBytes(log.toPath());
            String said = new String(written, logged, written.length - logged, StandardCharsets.UTF_8);
            String message = "redis-server exited with " + process.exitValue() + " before answering on port " + port
                    + (busPort > 0 ? " (cluster bus " + busPort + ")" : "") + ":\n" + said;
            throw said.contains("Address already in use") ? new PortTaken(message) : new IOException(message);
        }
    }

    /** Stops it (SIGTERM) and waits until it is gone. */
    public void stopProcess() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Deletes what a stopped process persisted: it starts again empty, as a Redis without persistence does. */
    public void forgetData() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("stop redis-server before forgetting its data");
        }
        deleteUnder(dir);
    }

    private static void deleteUnder(java.nio.file.Path root) throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!path.equals(root)) {
                    java.nio.file.Files.delete(path);
                }
            }
        }
    }

    /** Freezes the process ({@code SIGSTOP}): its connections stay open and answer nothing, as a half-open one. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets a paused process run again ({@code SIGCONT}). */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Runs one command with {@code redis-cli} and returns its raw output, trimmed. */
    public String cli(String... command) throws IOException, InterruptedException {
        java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of("redis-cli", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "--raw"));
        line.addAll(java.util.List.of(command));
        Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!cli.waitFor(10, TimeUnit.SECONDS)) {
            cli.destroyForcibly();
            throw new IOException("redis-cli did not finish");
        }
        return output;
    }

    private boolean answersPing() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process != null && process.isAlive()) {
            resume(); // a paused process would not stop on SIGTERM
            stopProcess();
        }
        deleteUnder(dir);
        java.nio.file.Files.deleteIfExists(dir);
    }
}
