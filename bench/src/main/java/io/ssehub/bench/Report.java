package io.ssehub.bench;

import io.ssehub.bench.scenario.Goal;
import io.ssehub.bench.scenario.Measurement;
import io.ssehub.bench.scenario.Params;
import io.ssehub.bench.scenario.Peer;
import io.ssehub.bench.scenario.Scenario;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Collects measurements and prints Markdown tables: a summary with, for each scenario's goals, the
 * median of the valid runs of ssehub and of the peer, the ratio ssehub / peer and whether the target
 * is met; then every figure's median per server.
 */
final class Report {

    /** One finished run of one scenario against one server. */
    record Row(Scenario scenario, String server, int run, Measurement measurement) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final String subject;
    private final Map<Peer, String> peers;

    /**
     * @param subject the column of ssehub
     * @param peers   the column of each peer that runs
     */
    Report(String subject, Map<Peer, String> peers) {
        this.subject = subject;
        this.peers = peers;
    }

    void add(Row row) {
        rows.add(row);
    }

    /** One line per goal of each scenario whose peer ran it. */
    String summary(List<Scenario> scenarios, Params params) {
        StringBuilder out = new StringBuilder();
        out.append("| scenario | figure | ").append(subject)
                .append(" | peer | peer's | ratio | target | met | valid runs |\n");
        out.append("|---|---|---:|---|---:|---:|---|---|---|\n");
        for (Scenario scenario : scenarios) {
            for (Goal goal : scenario.goals()) {
                String peer = peers.get(goal.peer());
                if (peer == null || rows.stream().noneMatch(r -> r.scenario() == scenario && r.server().equals(peer))) {
                    continue;
                }
                double mine = median(scenario, subject, goal.figure());
                double theirs = median(scenario, peer, goal.figure());
                double ratio = theirs == 0 ? Double.NaN : mine / theirs; // 0 of 0 refusals, or some against none
                String target = goal.hasTarget()
                        ? (goal.higherIsBetter() ? "≥ " : "≤ ") + BigDecimal.valueOf(goal.target()).stripTrailingZeros().toPlainString() + "×"
                        : "–";
                String met = !goal.hasTarget() ? "" : Double.isNaN(ratio) ? "n/a" : goal.met(ratio) ? "yes" : "NO";
                out.append("| ").append(scenario.id()).append(") ").append(scenario.title(params))
                        .append(" | ").append(goal.figure())
                        .append(" | ").append(format(mine)).append(" | ").append(peer).append(" | ").append(format(theirs))
                        .append(" | ").append(Double.isNaN(ratio) ? "n/a" : format(ratio) + "×")
                        .append(" | ").append(target).append(" | ").append(met)
                        .append(" | ").append(validRuns(scenario, subject)).append(" / ")
                        .append(validRuns(scenario, peer)).append(" |\n");
            }
        }
        return out.toString();
    }

    /** Every figure's median per server, one table per scenario, with a column for each server that ran it. */
    String details(List<Scenario> scenarios, List<String> allServers) {
        StringBuilder out = new StringBuilder();
        for (Scenario scenario : scenarios) {
            Set<String> names = new LinkedHashSet<>();
            for (Row row : rows) {
                if (row.scenario() == scenario) {
                    names.addAll(row.measurement().figures().keySet());
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            List<String> servers = allServers.stream()
                    .filter(s -> rows.stream().anyMatch(r -> r.scenario() == scenario && r.server().equals(s)))
                    .toList();
            out.append("\n**").append(scenario.id()).append(")** medians of valid runs (all runs if none valid)\n\n");
            out.append("| figure |");
            servers.forEach(s -> out.append(' ').append(s).append(" |"));
            out.append("\n|---|");
            servers.forEach(s -> out.append("---:|"));
            out.append('\n');
            for (String name : names) {
                out.append("| ").append(name).append(" |");
                for (String server : servers) {
                    out.append(' ').append(format(median(scenario, server, name))).append(" |");
                }
                out.append('\n');
            }
            for (Row row : rows) {
                if (row.scenario() == scenario && !row.measurement().notes().isEmpty()) {
                    out.append("\n- run ").append(row.run()).append(' ').append(row.server()).append(": ")
                            .append(row.measurement().valid() ? "" : "NOT COUNTED: ")
                            .append(row.measurement().notes());
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Tab-separated, one line per run and figure, for later analysis. */
    String tsv() {
        StringBuilder out = new StringBuilder("scenario\tserver\trun\tvalid\tfigure\tvalue\n");
        for (Row row : rows) {
            for (Map.Entry<String, Double> figure : row.measurement().figures().entrySet()) {
                out.append(row.scenario().id()).append('\t').append(row.server()).append('\t').append(row.run())
                        .append('\t').append(row.measurement().valid()).append('\t').append(figure.getKey())
                        .append('\t').append(figure.getValue()).append('\n');
            }
        }
        return out.toString();
    }

    /** One line for the progress log. */
    static String line(Row row) {
        Map<String, Double> figures = new LinkedHashMap<>(row.measurement().figures());
        StringBuilder out = new StringBuilder();
        out.append(row.scenario().id()).append(" run ").append(row.run()).append(' ').append(row.server())
                .append(row.measurement().valid() ? " ok" : " NOT COUNTED").append(':');
        figures.forEach((k, v) -> out.append(' ').append(k).append('=').append(format(v)));
        if (!row.measurement().notes().isEmpty()) {
            out.append(" [").append(row.measurement().notes()).append(']');
        }
        return out.toString();
    }

    private long validRuns(Scenario scenario, String server) {
        return rows.stream().filter(r -> r.scenario() == scenario && r.server().equals(server)
                && r.measurement().valid()).count();
    }

    /** The median over valid runs; over all runs when none is valid (the table then says 0 valid). */
    private double median(Scenario scenario, String server, String figure) {
        List<Double> values = values(scenario, server, figure, true);
        if (values.isEmpty()) {
            values = values(scenario, server, figure, false);
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        values.sort(Double::compare);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private List<Double> values(Scenario scenario, String server, String figure, boolean validOnly) {
        List<Double> values = new ArrayList<>();
        for (Row row : rows) {
            if (row.scenario() == scenario && row.server().equals(server)
                    && (!validOnly || row.measurement().valid())) {
                double value = row.measurement().get(figure);
                if (!Double.isNaN(value)) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        double abs = Math.abs(value);
        if (abs >= 1000 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
