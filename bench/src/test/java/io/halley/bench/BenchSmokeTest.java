package io.halley.bench;

import io.halley.bench.load.NioClients;
import io.halley.bench.report.Report;
import io.halley.bench.report.Targets;
import io.halley.bench.scenario.Scenarios;
import io.halley.bench.server.HalleyServer;
import io.halley.bench.server.LimitServer;
import io.halley.bench.server.LocalServer;
import io.halley.bench.server.ServerHandle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the bench from rotting: the limit and Halley in this JVM on random ports, 50 SSE clients
 * each, two trials in rotation of a two-second paced fan-out through the suite's own scenario
 * code (medians, ranges, the CPU per million deliveries from the process's CPU counter: here this
 * JVM's, clients included), then the report. The statistics themselves: {@code TrialsTest}. The
 * suite's heavy runs never happen in {@code mvn verify}.
 */
class BenchSmokeTest {
    private static final int CLIENTS = 50;
    private static final int TRIALS = 2;

    @Test
    @Timeout(60)
    void fanOutToFiftySseClientsLosesNothingAndTheReportRenders() throws Exception {
        Plan plan = Plan.smoke(CLIENTS);
        Report report = new Report();
        report.mode = plan.name();
        report.trials = TRIALS;
        List<String> log = new ArrayList<>();
        Scenarios scenarios = new Scenarios(plan, report,
                (server, target) -> new NioClients(server.port(),
                        server.name().equals(Report.LIMIT) ? NioClients.Target.LIMIT_SSE : target, 1),
                log::add);

        // two trials each, in rotation, as the suite runs them (its servers are in other JVMs; here in this one)
        try (ServerHandle limit = new LocalServer(new LimitServer(0, Duration.ofSeconds(15)));
             ServerHandle halley = new LocalServer(new HalleyServer(0))) {
            for (int trial = 0; trial < TRIALS; trial++) {
                scenarios.fanOut(trial % 2 == 0 ? limit : halley);
                scenarios.fanOut(trial % 2 == 0 ? halley : limit);
            }
        }

        Report.Row row = report.find("fanout-" + CLIENTS);
        assertNotNull(row, "no fan-out row; log: " + log);
        assertTrue(row.failures.isEmpty(), "lost or failed: " + row.failures + "; log: " + log);
        assertTrue(row.value(Report.LIMIT) > 0, "limit delivered nothing: " + log);
        assertTrue(row.value(Report.HALLEY) > 0, "Halley delivered nothing: " + log);
        assertEquals(false, report.failed(), "report marked failed: " + report.errors);
        assertEquals(TRIALS, row.trials(Report.LIMIT).count());
        assertEquals(TRIALS, row.trials(Report.HALLEY).count());
        assertEquals(row.trials(Report.HALLEY).median(), row.value(Report.HALLEY), "the cell is the median of its trials");

        Report.Row cpu = report.find("cpu-fanout-" + CLIENTS);
        assertNotNull(cpu, "no CPU-per-million row; log: " + log);
        for (String server : new String[] {Report.LIMIT, Report.HALLEY}) {
            assertEquals(TRIALS, cpu.trials(server).count(), server);
            for (double v : cpu.samples.get(server)) {
                assertTrue(Double.isFinite(v) && v > 0, server + " CPU per million deliveries " + v + "; log: " + log);
            }
        }

        Targets.evaluate(plan, report);
        String table = report.table();
        assertTrue(table.startsWith("| scenario | unit | Halley | limit | Halley/limit |"), table);
        assertTrue(table.matches("(?s).*\\| fan-out 50 subscribers( ⚠)? \\| msgs/s ↑ \\| [0-9,]+ \\([0-9,]+–[0-9,]+, spread [0-9]+%( ⚠)?\\) \\|.*"), table);
        assertTrue(table.matches("(?s).*\\| fan-out 50 subscribers: server CPU per million deliveries( ⚠)? \\| CPU ms per 1M deliveries ↓ \\|.*"), table);
        assertTrue(table.matches("(?s).*\\| [0-9.]+× \\|\\n"), "no Halley/limit ratio in: " + table);
        assertTrue(report.markdown().contains("the median of " + TRIALS + " recorded trials"), report.markdown());
        assertTrue(report.markdown().contains("## Targets"), report.markdown());
        String html = report.html();
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<svg") && html.endsWith("</html>\n"), html);
    }
}
