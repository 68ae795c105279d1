package io.ssehub.bench.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** Helpers for the server processes the harness starts: ports, readiness and stopping by pid. */
final class Processes {

    private Processes() {
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits until the port accepts connections; fails if the process died or time ran out. */
    static void awaitPort(Process process, int port, long timeoutMillis) throws IOException, InterruptedException {
        await(process, timeoutMillis, "listen on port " + port, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            }
        });
    }

    /**
     * Waits until {@code GET path} on the port answers 200: the application is deployed and ready,
     * not only the port bound (Tomcat binds its port before it deploys the WAR, and a client that
     * connects then waits in the accept queue for the whole deployment).
     */
    static void awaitHttpOk(Process process, int port, String path, long timeoutMillis)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build();
        await(process, timeoutMillis, "answer 200 on " + path,
                () -> client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** One look at a starting server: true when it is there; an IOException means not yet. */
    private interface Probe {
        boolean ready() throws IOException, InterruptedException;
    }

    /** Probes every 50 ms until the probe says ready; fails if the process died or time ran out. */
    private static void await(Process process, long timeoutMillis, String what, Probe probe)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IOException("the server exited with " + process.exitValue() + " before it would " + what);
            }
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening or not answering yet
            }
            Thread.sleep(50);
        }
        throw new IOException("the server did not " + what + " within " + timeoutMillis + " ms");
    }

    /**
     * Stops a process we started and the children it had: SIGTERM to the parent, a wait, then
     * SIGKILL to any of those exact process ids still alive.
     */
    static void stop(Process process, List<Long> children) {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            for (long pid : children) {
                ProcessHandle.of(pid).ifPresent(child -> {
                    try {
                        child.onExit().get(5, TimeUnit.SECONDS);
                    } catch (Exception stillAlive) {
                        child.destroyForcibly();
                    }
                });
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The live heap of a JVM we started, after a full GC: runs {@code jcmd <pid> GC.class_histogram}
     * (which collects first) and reads its total; empty when jcmd fails or takes over a minute.
     */
    static OptionalLong liveHeapBytes(long pid) {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return OptionalLong.empty();
            }
            for (String line : output.split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 3 && parts[0].equals("Total")) {
                    return OptionalLong.of(Long.parseLong(parts[2]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalLong.empty();
    }
}
