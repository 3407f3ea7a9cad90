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
 * each, a two-second paced fan-out through the suite's own scenario code, then the report. The
 * suite's heavy runs never happen in {@code mvn verify}.
 */
class BenchSmokeTest {
    private static final int CLIENTS = 50;

    @Test
    @Timeout(60)
    void fanOutToFiftySseClientsLosesNothingAndTheReportRenders() throws Exception {
        Plan plan = Plan.smoke(CLIENTS);
        Report report = new Report();
        report.mode = plan.name();
        List<String> log = new ArrayList<>();
        Scenarios scenarios = new Scenarios(plan, report,
                (server, target) -> new NioClients(server.port(),
                        server.name().equals(Report.LIMIT) ? NioClients.Target.LIMIT_SSE : target, 1),
                log::add);

        try (ServerHandle limit = new LocalServer(new LimitServer(0, Duration.ofSeconds(15)))) {
            scenarios.fanOut(limit);
        }
        try (ServerHandle halley = new LocalServer(new HalleyServer(0))) {
            scenarios.fanOut(halley);
        }

        Report.Row row = report.find("fanout-" + CLIENTS);
        assertNotNull(row, "no fan-out row; log: " + log);
        assertTrue(row.failures.isEmpty(), "lost or failed: " + row.failures + "; log: " + log);
        assertTrue(row.value(Report.LIMIT) > 0, "limit delivered nothing: " + log);
        assertTrue(row.value(Report.HALLEY) > 0, "Halley delivered nothing: " + log);
        assertEquals(false, report.failed(), "report marked failed: " + report.errors);

        Targets.evaluate(plan, report);
        String table = report.table();
        assertTrue(table.startsWith("| scenario | unit | Halley | limit | CometD | Halley/limit | Halley/CometD |"), table);
        assertTrue(table.contains("| fan-out 50 subscribers | msgs/s ↑ |"), table);
        assertTrue(table.matches("(?s).*\\| [0-9.]+× \\| — \\|\\n"), "no Halley/limit ratio in: " + table);
        assertTrue(report.markdown().contains("## Targets"), report.markdown());
        String html = report.html();
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<svg") && html.endsWith("</html>\n"), html);
    }
}
