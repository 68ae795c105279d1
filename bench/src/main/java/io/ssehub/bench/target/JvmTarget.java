package io.ssehub.bench.target;

import io.ssehub.bench.load.PublishFormat;
import io.ssehub.bench.server.JettyLauncher;
import io.ssehub.bench.server.TomcatLauncher;
import io.ssehub.bench.server.UndertowLauncher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * ssehub's WAR in its own JVM, in embedded Jetty, Tomcat or Undertow, configured with
 * {@code -Dssehub.*} properties. Output goes to a log file beside the results.
 */
public final class SsehubTarget implements Target {

    /** Which embedded container runs the WAR, and the launcher class that starts it. */
    public enum Container {
        JETTY(JettyLauncher.class),
        TOMCAT(TomcatLauncher.class),
        UNDERTOW(UndertowLauncher.class);

        private final Class<?> launcher;

        Container(Class<?> launcher) {
            this.launcher = launcher;
        }
    }

    private final Container container;
    private final Process process;
    private final int port;
    private final String configuration;

    private SsehubTarget(Container container, Process process, int port, String configuration) {
        this.container = container;
        this.process = process;
        this.port = port;
        this.configuration = configuration;
    }

    /**
     * Starts the server JVM and waits until it listens.
     *
     * @param java     the java executable
     * @param jvmArgs  extra JVM options (heap, JFR)
     * @param settings ssehub settings passed as system properties
     */
    public static SsehubTarget start(Container container, Path war, String java, List<String> jvmArgs,
                                     Map<String, String> settings, Path log) throws IOException, InterruptedException {
        int port = Processes.freePort();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmArgs);
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(container.launcher.getName());
        command.add(war.toString());
        command.add(Integer.toString(port));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        String configuration = container.name().toLowerCase() + " " + String.join(" ", jvmArgs) + " " + settings;
        SsehubTarget target = new SsehubTarget(container, process, port, configuration.replaceAll("\\s+", " "));
        try {
            Processes.awaitHttpOk(process, port, "/readyz", 60_000);
        } catch (IOException | InterruptedException e) {
            target.close();
            throw e;
        }
        return target;
    }

    @Override
    public String name() {
        return "ssehub-" + container.name().toLowerCase();
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public String subscribePath(String topic) {
        return "/events/" + topic;
    }

    @Override
    public PublishFormat publishFormat() {
        return (host, topic, message) -> {
            byte[] body = ("{\"topic\":\"" + topic + "\",\"msg\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
            String head = "POST /publish HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            return concat(head.getBytes(StandardCharsets.US_ASCII), body);
        };
    }

    @Override
    public List<Long> pids() {
        return List.of(process.pid());
    }

    /** Runs {@code jcmd <pid> GC.class_histogram}, which does a full GC, and reads its total. */
    @Override
    public OptionalLong liveHeapBytes() {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.class_histogram")
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

    @Override
    public String configuration() {
        return configuration;
    }

    @Override
    public void close() {
        Processes.stop(process, List.of());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
