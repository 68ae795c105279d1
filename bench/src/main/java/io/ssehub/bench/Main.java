package io.ssehub.bench;

import io.ssehub.bench.floor.FloorApp;
import io.ssehub.bench.scenario.FanOutScenario;
import io.ssehub.bench.scenario.IdleStreamsScenario;
import io.ssehub.bench.scenario.Measurement;
import io.ssehub.bench.scenario.Params;
import io.ssehub.bench.scenario.PublishOnlyScenario;
import io.ssehub.bench.scenario.Scenario;
import io.ssehub.bench.target.ClusterTarget;
import io.ssehub.bench.target.NchanTarget;
import io.ssehub.bench.target.SsehubTarget;
import io.ssehub.bench.target.Target;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the load scenarios against ssehub and nginx+nchan in one run and prints the comparison.
 *
 * <p>Flags: {@code --war=PATH} (required), {@code --out=DIR}, {@code --runs=N} (default 3, 1 with
 * {@code --quick}), {@code --quick}, {@code --tomcat} or {@code --undertow},
 * {@code --scenarios=a,b,c,d,e}, {@code --floor} (the container's floor, {@link FloorApp}, instead of
 * the WAR), {@code --jfr}, {@code --server-jvm-args="..."},
 * {@code --nchan-workers=N}, {@code --nginx=PATH}, {@code --max-minutes=N}, and size overrides
 * such as {@code --a-subscribers=500} (see README).
 * Each server is started fresh for every scenario and run, and always stopped again.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = parse(args);
        boolean quick = flags.containsKey("quick");
        Params params = new Params(flags, System.getenv(), quick);
        Path out = Path.of(flags.getOrDefault("out", "target/bench-out")).toAbsolutePath();
        Files.createDirectories(out);
        boolean floor = flags.containsKey("floor");
        int runs = params.integer("runs", 3, 1);
        if (flags.containsKey("tomcat") && flags.containsKey("undertow")) {
            throw new IllegalArgumentException("--tomcat and --undertow exclude each other");
        }
        SsehubTarget.Container container = flags.containsKey("tomcat") ? SsehubTarget.Container.TOMCAT
                : flags.containsKey("undertow") ? SsehubTarget.Container.UNDERTOW : SsehubTarget.Container.JETTY;
        Path war = floor ? FloorApp.write(out.resolve("floor-webapp"))
                : Path.of(required(flags, "war")).toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        String javaForServer = flags.getOrDefault("server-java", java);
        List<String> jvmArgs = new ArrayList<>(List.of(flags.getOrDefault("server-jvm-args", "").split("\\s+")));
        jvmArgs.removeIf(String::isBlank);
        int nchanWorkers = params.integer("nchan-workers", 2, 2);
        int nchanBuffer = params.integer("nchan-buffer", 1000, 1000);
        String nginx = flags.getOrDefault("nginx", "/usr/sbin/nginx");
        long deadline = System.nanoTime() + (long) (params.number("max-minutes", 20, 20) * 60e9);

        List<Scenario> scenarios = select(flags.getOrDefault("scenarios", "a,b,c,d,e"));
        if (floor && scenarios.stream().anyMatch(Scenario::twoNodes)) {
            throw new IllegalArgumentException("--floor has no Redis backplane: scenario f needs ssehub");
        }
        String subject = (floor ? "floor-" : "ssehub-") + container.name().toLowerCase();
        List<String> servers = List.of(subject, "nchan");
        Report report = new Report("nchan");
        StringBuilder configuration = new StringBuilder();

        System.out.println("# ssehub vs nginx+nchan, " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        System.out.println(environment(javaForServer, runs, quick));
        boolean outOfTime = false;
        for (int run = 1; run <= runs && !outOfTime; run++) {
            for (Scenario scenario : scenarios) {
                // Alternate which server goes first, so drift on a shared machine hits both alike.
                List<String> order = run % 2 == 1 ? servers : List.of(servers.get(1), servers.get(0));
                for (String server : order) {
                    if (System.nanoTime() - deadline > 0) {
                        System.out.println("time limit reached: skipping the rest");
                        outOfTime = true;
                        break;
                    }
                    Map<String, String> settings = new LinkedHashMap<>();
                    settings.put("ssehub.tick.interval", "0");
                    settings.put("ssehub.log.access", "false"); // as nchan's nginx.conf: access_log off
                    // Every simulated client comes from one loopback address, as nchan sees them.
                    settings.put("ssehub.streams.perClient", "0");
                    settings.put("ssehub.topics.perClient", "0");
                    settings.putAll(scenario.ssehubSettings(params));
                    List<String> serverJvmArgs = new ArrayList<>(jvmArgs);
                    if (flags.containsKey("jfr") && server.equals(subject)) {
                        serverJvmArgs.add("-XX:StartFlightRecording=settings=profile,filename="
                                + out.resolve(scenario.id() + "-run" + run + ".jfr"));
                    }
                    Measurement measurement;
                    Target target = null;
                    try {
                        target = server.equals(subject) && scenario.twoNodes()
                                ? ClusterTarget.start(container, war, javaForServer, serverJvmArgs, settings, out)
                                : server.equals(subject)
                                ? SsehubTarget.start(container, war, javaForServer, serverJvmArgs, settings,
                                        out.resolve(subject + ".log"))
                                : NchanTarget.start(nginx, out.resolve("nchan-" + scenario.id() + "-run" + run),
                                        nchanWorkers, nchanBuffer);
                        if (run == 1) {
                            configuration.append("- ").append(scenario.id()).append(") ").append(server)
                                    .append(": ").append(target.configuration()).append('\n');
                        }
                        measurement = scenario.run(target, params);
                    } catch (Exception e) {
                        measurement = new Measurement();
                        measurement.invalid("failed: " + e);
                    } finally {
                        if (target != null) {
                            target.close();
                        }
                    }
                    Report.Row row = new Report.Row(scenario, server, run, measurement);
                    report.add(row);
                    System.out.println(Report.line(row));
                }
                if (outOfTime) {
                    break;
                }
            }
        }

        String summary = report.summary(scenarios, params, servers);
        String details = report.details(scenarios, servers);
        System.out.println();
        System.out.println("## Summary (medians of valid runs; ratio = " + subject + " / nchan)");
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
                + environment(javaForServer, runs, quick) + "\n\n" + summary + "\n## Configuration\n\n"
                + configuration + "\n## Details\n" + details, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("written: " + out.resolve("summary.md") + " and " + out.resolve("results.tsv"));
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

    private static String required(Map<String, String> flags, String key) {
        String value = flags.get(key);
        if (value == null) {
            throw new IllegalArgumentException("--" + key + "=... is required");
        }
        return value;
    }
}
