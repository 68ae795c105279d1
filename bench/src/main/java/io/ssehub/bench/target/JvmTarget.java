package io.ssehub.bench.target;

import io.ssehub.bench.load.PublishFormat;
import io.ssehub.bench.server.JettyLauncher;
import io.ssehub.bench.server.TomcatLauncher;
import io.ssehub.bench.server.UndertowLauncher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A server in its own JVM that speaks ssehub's seed API ({@code GET /events/{topic}},
 * {@code POST /publish} with JSON, {@code GET /readyz}): ssehub's WAR or the floor's in embedded
 * Jetty, Tomcat or Undertow, configured with {@code -Dssehub.*} properties; or the Spring peer's
 * executable jar, started as its users start it. Output goes to a log file beside the results.
 */
public final class JvmTarget implements Target {

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

    private final String name;
    private final Process process;
    private final int port;
    private final String configuration;
    /** Whether it is ssehub, which counts the streams it ends in {@code GET /metrics}. */
    private final boolean ssehub;

    private JvmTarget(String name, Process process, int port, String configuration, boolean ssehub) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.configuration = configuration;
        this.ssehub = ssehub;
    }

    /**
     * Starts ssehub's WAR in an embedded container and waits until it is ready.
     *
     * @param java     the java executable
     * @param jvmArgs  extra JVM options (heap, JFR)
     * @param settings ssehub settings passed as system properties
     */
    public static JvmTarget war(Container container, Path war, String java, List<String> jvmArgs,
                                Map<String, String> settings, Path log) throws IOException, InterruptedException {
        return war("ssehub-", true, container, war, java, jvmArgs, settings, log);
    }

    /**
     * Starts ssehub's WAR as its users start it on its own, {@code java -jar ssehub.war} (its
     * launcher: Jetty 12 with the launcher's pool, accept queue and memory settings; see
     * docs/standalone.md), with the address and the settings as system properties, and waits until
     * it is ready.
     */
    public static JvmTarget standalone(Path war, String java, List<String> jvmArgs, Map<String, String> settings,
                                       Path log) throws IOException, InterruptedException {
        int port = Processes.freePort();
        List<String> command = javaCommand(java, jvmArgs, settings);
        command.add("-Dssehub.bind=127.0.0.1");
        command.add("-Dssehub.port=" + port);
        command.add("-jar");
        command.add(war.toString());
        return start("ssehub-standalone", true, command, port,
                "standalone (java -jar) " + String.join(" ", jvmArgs) + " " + settings, log);
    }

    /** Starts the container's floor ({@code FloorApp}'s WAR) as {@link #war} starts ssehub's. */
    public static JvmTarget floorWar(Container container, Path war, String java, List<String> jvmArgs,
                                     Map<String, String> settings, Path log) throws IOException, InterruptedException {
        return war("floor-", false, container, war, java, jvmArgs, settings, log);
    }

    private static JvmTarget war(String namePrefix, boolean ssehub, Container container, Path war, String java,
                                 List<String> jvmArgs, Map<String, String> settings, Path log)
            throws IOException, InterruptedException {
        int port = Processes.freePort();
        List<String> command = javaCommand(java, jvmArgs, settings);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(container.launcher.getName());
        command.add(war.toString());
        command.add(Integer.toString(port));
        String containerName = container.name().toLowerCase(Locale.ROOT);
        return start(namePrefix + containerName, ssehub, command, port,
                containerName + " " + String.join(" ", jvmArgs) + " " + settings, log);
    }

    /**
     * Starts the Spring peer ({@code bench/spring-peer}) as {@code java -jar} on a free port and
     * waits until it is ready.
     *
     * @param jar the executable jar {@code bench/spring-peer} builds
     */
    public static JvmTarget springJar(Path jar, String java, List<String> jvmArgs, Path log)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no Spring peer at " + jar + " (bench/run.sh builds it)");
        }
        int port = Processes.freePort();
        List<String> command = javaCommand(java, jvmArgs, Map.of());
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        return start("spring", false, command, port, "Spring Boot SseEmitter hub, embedded Tomcat "
                + String.join(" ", jvmArgs) + " (bench/spring-peer application.properties)", log);
    }

    /** {@code java}, its options and the settings as system properties: the start of every server's command. */
    private static List<String> javaCommand(String java, List<String> jvmArgs, Map<String, String> settings) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmArgs);
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        return command;
    }

    /** Runs the command and waits until {@code GET /readyz} answers 200; stops the process if it never does. */
    private static JvmTarget start(String name, boolean ssehub, List<String> command, int port, String configuration,
                                   Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        JvmTarget target = new JvmTarget(name, process, port, configuration.replaceAll("\\s+", " "), ssehub);
        try {
            Processes.awaitHttpOk(process, port, "/readyz", 180_000); // a shared machine can take a minute to start Tomcat
        } catch (IOException | InterruptedException e) {
            target.close();
            throw e;
        }
        return target;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public PublishFormat publishFormat() {
        return JSON_PUBLISH;
    }

    /** The seed API's publish: {@code POST /publish} with {@code {"topic":"t","msg":"m"}}. */
    static final PublishFormat JSON_PUBLISH = (host, topic, message) -> {
        byte[] body = ("{\"topic\":\"" + topic + "\",\"msg\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        String head = "POST /publish HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        return concat(head.getBytes(StandardCharsets.US_ASCII), body);
    };

    @Override
    public List<Long> pids() {
        return List.of(process.pid());
    }

    /** Runs {@code jcmd <pid> GC.class_histogram}, which does a full GC, and reads its total. */
    @Override
    public OptionalLong liveHeapBytes() {
        return Processes.liveHeapBytes(process.pid());
    }

    @Override
    public Map<String, Long> streamClosesByReason() throws IOException, InterruptedException {
        return ssehub ? CloseReasons.read(address()) : Map.of();
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
