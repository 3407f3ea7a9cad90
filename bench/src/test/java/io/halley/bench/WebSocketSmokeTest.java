package io.halley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.bench.load.NioClients;
import io.halley.bench.load.WsClients;
import io.halley.bench.report.Report;
import io.halley.bench.scenario.Scenarios;
import io.halley.bench.server.HalleyServer;
import io.halley.bench.server.LimitServer;
import io.halley.bench.server.LocalServer;
import io.halley.bench.server.ServerHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WebSocket rows through the suite's own code: the limit's bare {@code /ws} and Halley's
 * {@code /halley/ws} in this JVM, 30 sockets each from {@link WsClients} (the RFC 6455 handshake
 * and frame parsing on NIO), two trials in rotation of the ws fan-out, then held idle sockets and
 * the latency: zero loss, every cell the median of its trials, the CPU per million deliveries a
 * positive finite number, the idle rows measured while the server held every socket.
 */
class WebSocketSmokeTest {
    private static final int CLIENTS = 30;
    private static final int TRIALS = 2;

    @Test
    @Timeout(90)
    void wsFanOutIdleAndLatencyLoseNothingOnTheLimitAndHalley() throws Exception {
        Plan plan = Plan.smoke(CLIENTS);
        Report report = new Report();
        report.mode = plan.name();
        report.trials = TRIALS;
        List<String> log = new ArrayList<>();
        Scenarios scenarios = new Scenarios(plan, report,
                (server, target) -> new WsClients(server.port(), target == NioClients.Target.HALLEY_WS, 1), log::add);
        try (ServerHandle limit = new LocalServer(new LimitServer(0, Duration.ofSeconds(15)));
             ServerHandle halley = new LocalServer(new HalleyServer(0))) {
            for (int trial = 0; trial < TRIALS; trial++) {
                scenarios.wsFanOut(trial % 2 == 0 ? limit : halley);
                scenarios.wsFanOut(trial % 2 == 0 ? halley : limit);
            }
            scenarios.wsIdle(halley);
            scenarios.wsIdle(limit);
            scenarios.wsLatency(halley);
            scenarios.wsLatency(limit);
        }

        Report.Row row = report.find("ws-fanout-" + CLIENTS);
        assertNotNull(row, "no ws fan-out row; log: " + log);
        assertTrue(row.failures.isEmpty(), "lost or failed: " + row.failures + "; log: " + log);
        for (String server : new String[] {Report.LIMIT, Report.HALLEY}) {
            assertEquals(TRIALS, row.trials(server).count(), server);
            assertTrue(row.value(server) > 0, server + " delivered nothing: " + log);
            assertEquals(row.trials(server).median(), row.value(server), "the cell is the median of its trials");
            for (double v : report.find("cpu-ws-fanout-" + CLIENTS).samples.get(server)) {
                assertTrue(Double.isFinite(v) && v > 0, server + " CPU per million deliveries " + v + "; log: " + log);
            }
            Report.Row heap = report.find("ws-idle-heap-" + CLIENTS);
            assertNotNull(heap.value(server), server + " idle heap; log: " + log);
            Report.Row p99 = report.find("ws-latency-p99");
            assertTrue(p99.failures.isEmpty(), "latency lost or failed: " + p99.failures + "; log: " + log);
            assertTrue(p99.value(server) > 0, server + " p99; log: " + log);
            java.util.List<double[]> latencyCpu = report.find("ws-latency-p50").cpu.get(server);
            assertNotNull(latencyCpu, server + ": no CPU recorded for the latency window; log: " + log);
            assertEquals(report.find("ws-latency-p50").trials(server).count(), latencyCpu.size(),
                    server + ": one CPU record per latency trial");
            for (double[] c : latencyCpu) {
                assertTrue(Double.isFinite(c[0]) && c[0] > 0 && Double.isFinite(c[1]), server + " latency CPU " + c[0] + "/" + c[1]);
            }
        }
        assertTrue(report.find("ws-idle-cpu-" + CLIENTS).failures.isEmpty(), "sockets dropped while idle; log: " + log);
        assertTrue(report.latency.isEmpty(), "the ws latency must not join the SSE latency chart");
        assertEquals(false, report.failed(), "report marked failed: " + report.errors);
        String table = report.table();
        assertTrue(table.contains("| ws fan-out 30 subscribers"), table);
    }
}
