package io.ssehub.bench;

import io.ssehub.bench.floor.FloorApp;
import io.ssehub.bench.scenario.FanOutScenario;
import io.ssehub.bench.scenario.HostileScenario;
import io.ssehub.bench.scenario.IdleStreamsScenario;
import io.ssehub.bench.scenario.Measurement;
import io.ssehub.bench.scenario.Params;
import io.ssehub.bench.scenario.Peer;
import io.ssehub.bench.scenario.PublishOnlyScenario;
import io.ssehub.bench.scenario.ReconnectStormScenario;
import io.ssehub.bench.scenario.Scenario;
import io.ssehub.bench.stats.Proc;
import io.ssehub.bench.target.ClusterTarget;
import io.ssehub.bench.target.NchanTarget;
import io.ssehub.bench.target.JvmTarget;
import io.ssehub.bench.target.Target;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Runs the load scenarios against ssehub and its peers in one run and prints the comparison: nginx+nchan
 * (every scenario), the container's floor ({@link FloorApp}, in d, e and g) and the {@code SseEmitter} hub
 * of {@code bench/spring-peer} (every scenario but f).
 *
 * <p>Flags: {@code --war=PATH} (required), {@code --spring-jar=PATH} (required while the Spring peer
 * runs), {@code --out=DIR}, {@code --runs=N} (default 3, 1 with {@code --quick}), {@code --quick},
 * {@code --tomcat} or {@code --undertow} (or {@code --standalone}: ssehub as {@code java -jar} runs it,
 * on its launcher's Jetty), {@code --scenarios=a,b,c,d,e},
 * {@code --peers=nchan,floor,spring} (which peers run; default all), {@code --floor} (the floor in
 * every scenario but f, not only d, e and g), {@code --jfr}, {@code --server-jvm-args="..."} (ssehub
 * and the floor), {@code --variant-jvm-args="..."} (a second ssehub column with these options added),
 * {@code --spring-jvm-args="..."}, {@code --server-java=PATH} (every JVM server),
 * {@code --nchan-workers=N}, {@code --nginx=PATH}, {@code --max-minutes=N}, and size overrides such
 * as {@code --a-subscribers=500} (see README). Each server is started fresh for every scenario and
 * run, and always stopped again.
 */
public final class Main {

    private Main() {
    }

    /** Starts one column's server for a scenario's run. */
    private interface Starter {
        Target start(Scenario scenario, int run) throws Exception;
    }

    /**
     * One column of the table: a server, which scenarios it runs, how it starts.
     *
     * @param peer {@code null} for ssehub itself
     */
    private record Column(String name, Peer peer, Predicate<Scenario> runs, Starter starter) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = parse(args);
        boolean quick = flags.containsKey("quick");
        Params params = new Params(flags, System.getenv(), quick);
        Path out = Path.of(flags.getOrDefault("out", "target/bench-out")).toAbsolutePath();
        Files.createDirectories(out);
        int runs = params.integer("runs", 3, 1);
        if (flags.containsKey("tomcat") && flags.containsKey("undertow")) {
            throw new IllegalArgumentException("--tomcat and --undertow exclude each other");
        }
        // ssehub as `java -jar ssehub.war` runs it: Jetty, so the floor and two-node scenarios run on Jetty.
        boolean standalone = flags.containsKey("standalone");
        if (standalone && (flags.containsKey("tomcat") || flags.containsKey("undertow"))) {
            throw new IllegalArgumentException("--standalone runs ssehub on the launcher's Jetty: not with --tomcat or --undertow");
        }
        JvmTarget.Container container = flags.containsKey("tomcat") ? JvmTarget.Container.TOMCAT
                : flags.containsKey("undertow") ? JvmTarget.Container.UNDERTOW : JvmTarget.Container.JETTY;
        Path war = Path.of(required(flags, "war")).toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        String javaForServer = flags.getOrDefault("server-java", java);
        List<String> jvmArgs = words(flags.getOrDefault("server-jvm-args", ""));
        List<String> springJvmArgs = words(flags.getOrDefault("spring-jvm-args", ""));
        int nchanWorkers = params.integer("nchan-workers", 2, 2);
        // As many messages a channel as ssehub retains a topic by default (ssehub.history.size).
        int nchanBuffer = params.integer("nchan-buffer", 5000, 5000);
        String nginx = flags.getOrDefault("nginx", "/usr/sbin/nginx");
        long deadline = System.nanoTime() + (long) (params.number("max-minutes", 40, 40) * 60e9);
        Set<Peer> peers = peers(flags.getOrDefault("peers", "nchan,floor,spring"));
        boolean floorEverywhere = flags.containsKey("floor");

        List<Scenario> scenarios = select(flags.getOrDefault("scenarios", "a,b,c,d,e"));
        String containerName = container.name().toLowerCase(Locale.ROOT);
        String subject = standalone ? "ssehub-standalone" : "ssehub-" + containerName;
        Map<String, String> baseSettings = new LinkedHashMap<>();
        baseSettings.put("ssehub.tick.interval", "0");
        baseSettings.put("ssehub.log.access", "false"); // as nchan's nginx.conf: access_log off
        // Every simulated client comes from one loopback address, as nchan sees them.
        baseSettings.put("ssehub.streams.perClient", "0");
        baseSettings.put("ssehub.topics.perClient", "0");

        // ssehub started with the given JVM options; name is its column's, which also names its log and recordings.
        BiFunction<String, List<String>, Starter> ssehub = (name, options) -> (scenario, run) -> {
            Map<String, String> settings = new LinkedHashMap<>(baseSettings);
            settings.putAll(scenario.ssehubSettings(params));
            String recording = (name.equals(subject) ? "" : name + "-") + scenario.id() + "-run" + run + ".jfr";
            List<String> serverJvmArgs = withRecording(options, flags, out.resolve(recording));
            if (scenario.twoNodes()) {
                return ClusterTarget.start(container, war, javaForServer, serverJvmArgs, settings, out);
            }
            return standalone
                    ? JvmTarget.standalone(war, javaForServer, serverJvmArgs, settings, out.resolve(name + ".log"))
                    : JvmTarget.war(container, war, javaForServer, serverJvmArgs, settings, out.resolve(name + ".log"));
        };
        List<Column> columns = new ArrayList<>();
        columns.add(new Column(subject, null, scenario -> true, ssehub.apply(subject, jvmArgs)));
        if (flags.containsKey("variant-jvm-args")) {
            // ssehub again with more options, in the same runs and the same rotation: an A/B of a setting
            // that no order or hour favours.
            List<String> variantArgs = new ArrayList<>(jvmArgs);
            variantArgs.addAll(words(flags.get("variant-jvm-args")));
            String name = subject + "-variant";
            columns.add(new Column(name, null, scenario -> !scenario.twoNodes(), ssehub.apply(name, variantArgs)));
        }
        if (peers.contains(Peer.NCHAN)) {
            columns.add(new Column("nchan", Peer.NCHAN, scenario -> !scenario.ssehubOnly(), (scenario, run) ->
                    NchanTarget.start(nginx, out.resolve("nchan-" + scenario.id() + "-run" + run),
                            nchanWorkers, nchanBuffer)));
        }
        if (peers.contains(Peer.FLOOR)) {
            // The floor runs in the same launcher with the same JVM options: ssehub / floor is ssehub's own cost.
            Path floorWar = FloorApp.write(out.resolve("floor-webapp"));
            String name = "floor-" + containerName;
            columns.add(new Column(name, Peer.FLOOR,
                    scenario -> !scenario.twoNodes() && !scenario.ssehubOnly() && (floorEverywhere || FLOOR_SCENARIOS.contains(scenario.id())),
                    (scenario, run) -> JvmTarget.floorWar(container, floorWar, javaForServer,
                            withRecording(jvmArgs, flags, out.resolve("floor-" + scenario.id() + "-run" + run + ".jfr")),
                            baseSettings, out.resolve(name + ".log"))));
        }
        if (peers.contains(Peer.SPRING)) {
            Path springJar = Path.of(required(flags, "spring-jar")).toAbsolutePath();
            columns.add(new Column("spring", Peer.SPRING, scenario -> !scenario.twoNodes() && !scenario.ssehubOnly(),
                    (scenario, run) -> JvmTarget.springJar(springJar, javaForServer, springJvmArgs,
                            out.resolve("spring.log"))));
        }
        columns.removeIf(c -> scenarios.stream().noneMatch(c.runs())); // e.g. peers with only (h) asked for
        Map<Peer, String> peerColumns = new EnumMap<>(Peer.class);
        columns.stream().filter(c -> c.peer() != null).forEach(c -> peerColumns.put(c.peer(), c.name()));
        List<String> servers = columns.stream().map(Column::name).toList();
        Report report = new Report(subject, peerColumns);
        StringBuilder configuration = new StringBuilder();

        String heading = servers.size() == 1 ? "ssehub alone"
                : "ssehub vs " + String.join(", ", servers.subList(1, servers.size()));
        System.out.println("# " + heading + ", " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        String loadAtStart = Proc.loadAverages();
        System.out.println(environment(javaForServer, runs, quick));
        System.out.println("load average (1, 5, 15 min) at start: " + loadAtStart);
        boolean outOfTime = false;
        for (int run = 1; run <= runs && !outOfTime; run++) {
            for (Scenario scenario : scenarios) {
                List<Column> taking = columns.stream().filter(c -> c.runs().test(scenario)).toList();
                // Rotate which server goes first from run to run, so drift on a shared machine hits all alike.
                List<Column> order = new ArrayList<>(taking);
                Collections.rotate(order, -((run - 1) % order.size()));
                for (Column column : order) {
                    if (System.nanoTime() - deadline > 0) {
                        System.out.println("time limit reached: skipping the rest");
                        outOfTime = true;
                        break;
                    }
                    Measurement measurement;
                    Target target = null;
                    try {
                        target = column.starter().start(scenario, run);
                        if (run == 1) {
                            configuration.append("- ").append(scenario.id()).append(") ").append(column.name())
                                    .append(": ").append(target.configuration()).append('\n');
                        }
                        measurement = scenario.run(target, params);
                        int crashed = target.crashedWorkers();
                        if (crashed > 0) {
                            measurement.put("crashed workers", crashed);
                            measurement.invalid(crashed + " of the server's worker processes died of a signal during the run");
                        }
                    } catch (Exception e) {
                        measurement = new Measurement();
                        measurement.invalid("failed: " + e);
                    } finally {
                        if (target != null) {
                            target.close();
                        }
                    }
                    Report.Row row = new Report.Row(scenario, column.name(), run, measurement);
                    report.add(row);
                    System.out.println(Report.line(row));
                }
                if (outOfTime) {
                    break;
                }
            }
        }

        String loadAtEnd = Proc.loadAverages();
        System.out.println("load average (1, 5, 15 min) at the end: " + loadAtEnd);
        String summary = report.summary(scenarios, params);
        String details = report.details(scenarios, servers);
        System.out.println();
        System.out.println("## Summary (medians of valid runs; ratio = " + subject + " / peer)");
        System.out.println();
        System.out.print(summary);
        System.out.println();
        System.out.println("## Configuration");
        System.out.println();
        System.out.print(configuration);
        System.out.println();
        System.out.println("## Details");
        System.out.print(details);
        Files.writeString(out.resolve("results.tsv"), report.tsv(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("summary.md"), "# " + ZonedDateTime.now() + "\n\n"
                + environment(javaForServer, runs, quick) + "\n\nload average (1, 5, 15 min): " + loadAtStart
                + " at start, " + loadAtEnd + " at the end\n\n" + summary + "\n## Configuration\n\n"
                + configuration + "\n## Details\n" + details, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("written: " + out.resolve("summary.md") + " and " + out.resolve("results.tsv"));
    }

    /** Where the floor runs unless {@code --floor} asks for every scenario: in (a) to (c) it is no floor. */
    private static final Set<String> FLOOR_SCENARIOS = Set.of("d", "e", "g");

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>(List.of(text.split("\\s+")));
        words.removeIf(String::isBlank);
        return words;
    }

    private static Set<Peer> peers(String names) {
        Set<Peer> peers = EnumSet.noneOf(Peer.class);
        for (String name : names.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                peers.add(Peer.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown peer " + name + "; known: nchan, floor, spring");
            }
        }
        return peers;
    }

    private static String environment(String java, int runs, boolean quick) {
        Runtime rt = Runtime.getRuntime();
        return "machine: " + rt.availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + "; generator JVM " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + "; server java " + java + "; runs " + runs
                + (quick ? " (quick sizes)" : "");
    }

    private static List<Scenario> select(String ids) {
        Map<String, Scenario> all = new LinkedHashMap<>();
        all.put("a", FanOutScenario.latency());
        all.put("b", FanOutScenario.wide());
        all.put("c", FanOutScenario.maxFanOut());
        all.put("d", new PublishOnlyScenario());
        all.put("e", new IdleStreamsScenario());
        all.put("f", FanOutScenario.clustered());
        all.put("g", new ReconnectStormScenario());
        all.put("h", new HostileScenario());
        List<Scenario> chosen = new ArrayList<>();
        for (String id : ids.split(",")) {
            Scenario scenario = all.get(id.trim());
            if (scenario == null) {
                throw new IllegalArgumentException("unknown scenario " + id + "; known: " + all.keySet());
            }
            chosen.add(scenario);
        }
        return chosen;
    }

    /** {@code --key=value} and bare {@code --flag} (value "true"). */
    static Map<String, String> parse(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            int eq = arg.indexOf('=');
            if (eq < 0) {
                flags.put(arg.substring(2), "true");
            } else {
                flags.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        return flags;
    }

    /**
     * The server's JVM options, with a JFR recording into {@code file} when {@code --jfr} asks for
     * one: JFR's {@code profile} settings, or those of {@code --jfr=<settings file>}.
     */
    private static List<String> withRecording(List<String> jvmArgs, Map<String, String> flags, Path file) {
        String settings = flags.get("jfr");
        if (settings == null) {
            return jvmArgs;
        }
        List<String> args = new ArrayList<>(jvmArgs);
        args.add("-XX:StartFlightRecording=settings=" + (settings.equals("true") ? "profile" : settings)
                + ",filename=" + file);
        return args;
    }

    private static String required(Map<String, String> flags, String key) {
        String value = flags.get(key);
        if (value == null) {
            throw new IllegalArgumentException("--" + key + "=... is required");
        }
        return value;
    }
}
