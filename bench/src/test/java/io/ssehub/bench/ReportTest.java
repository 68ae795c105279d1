package io.ssehub.bench;

import io.ssehub.bench.scenario.IdleStreamsScenario;
import io.ssehub.bench.scenario.Measurement;
import io.ssehub.bench.scenario.Params;
import io.ssehub.bench.scenario.Peer;
import io.ssehub.bench.scenario.PublishOnlyScenario;
import io.ssehub.bench.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary: one line per goal whose peer ran, medians of valid runs, ratio ssehub / peer. */
class ReportTest {

    private final Scenario publishOnly = new PublishOnlyScenario();
    private final Scenario idle = new IdleStreamsScenario();
    private final Params params = new Params(Map.of(), Map.of(), false);

    private static Measurement figure(String name, double value) {
        return new Measurement().put(name, value);
    }

    @Test
    void comparesWithEachPeerThatRanAndJudgesTheTarget() {
        Report report = new Report("ssehub-jetty", Map.of(Peer.NCHAN, "nchan", Peer.FLOOR, "floor-jetty"));
        for (int run = 1; run <= 3; run++) {
            report.add(new Report.Row(publishOnly, "ssehub-jetty", run, figure("publish/s", 900 + run * 100)));
            report.add(new Report.Row(publishOnly, "nchan", run, figure("publish/s", 2000)));
            report.add(new Report.Row(publishOnly, "floor-jetty", run, figure("publish/s", 1000)));
        }
        List<String> lines = report.summary(List.of(publishOnly), params).lines().toList();

        assertEquals(4, lines.size(), String.join("\n", lines)); // head, rule, nchan, floor: no Spring column
        assertTrue(lines.get(2).contains("| 1,100 | nchan | 2,000 | 0.550× | ≥ 1× | NO | 3 / 3 |"), lines.get(2));
        assertTrue(lines.get(3).contains("| 1,100 | floor-jetty | 1,000 | 1.100× | ≥ 0.95× | yes | 3 / 3 |"), lines.get(3));
    }

    @Test
    void aRunThatDidNotCountIsLeftOutOfTheMedian() {
        Report report = new Report("ssehub-jetty", Map.of(Peer.SPRING, "spring"));
        report.add(new Report.Row(idle, "ssehub-jetty", 1, figure("rss/stream B", 10_000)));
        Measurement lossy = figure("rss/stream B", 1_000);
        lossy.invalid("3 of 10000 streams were not open at the end");
        report.add(new Report.Row(idle, "ssehub-jetty", 2, lossy));
        report.add(new Report.Row(idle, "spring", 1, figure("rss/stream B", 40_000).put("connect s", 2.0)));

        String summary = report.summary(List.of(idle), params);

        assertTrue(summary.contains("| rss/stream B | 10,000 | spring | 40,000 | 0.250× | ≤ 0.5× | yes | 1 / 1 |"), summary);
        // A figure without a target is shown, never judged; ssehub has no connect time here.
        assertTrue(summary.contains("| connect s | – | spring | 2 | n/a | – |  | 1 / 1 |"), summary);
        assertFalse(summary.contains("nchan"), summary);
    }
}
