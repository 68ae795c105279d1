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
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private final File log;
    private final java.nio.file.Path dir;
    /** What follows {@code redis-server} and the common options: a replica's master, a sentinel's config. */
    private final java.util.List<String> role;
    private Process process;

    private RedisServer(int port, java.nio.file.Path dir, java.util.List<String> role) throws IOException {
        this.port = port;
        this.log = File.createTempFile("ssehub-redis", ".log");
        log.deleteOnExit();
        this.dir = dir;
        this.role = role;
    }

    public static RedisServer start() throws IOException {
        return start(java.nio.file.Files.createTempDirectory("ssehub-redis"), java.util.List.of());
    }

    /** A replica of {@code master}, which Sentinel may promote. */
    public static RedisServer replicaOf(RedisServer master) throws IOException {
        return start(java.nio.file.Files.createTempDirectory("ssehub-redis"),
                java.util.List.of("--replicaof", "127.0.0.1", Integer.toString(master.port)));
    }

    /**
     * A node of a Redis Cluster, with no slots yet ({@link RedisCluster} gives it some). Its cluster
     * state lives in its directory with its data, so a restart rejoins the cluster as the same node.
     */
    static RedisServer clusterNode(long nodeTimeoutMillis) throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ssehub-redis-cluster");
        return start(dir, java.util.List.of("--cluster-enabled", "yes",
                "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                "--cluster-node-timeout", Long.toString(nodeTimeoutMillis)));
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
        return start(dir, java.util.List.of(config.toString(), "--sentinel"));
    }

    private static RedisServer start(java.nio.file.Path dir, java.util.List<String> role) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RedisServer server = new RedisServer(port, dir, role);
        server.startProcess();
        return server;
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
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
        Await.until(Duration.ofSeconds(10), this::answersPing, "redis-server to answer PING on port " + port);
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
