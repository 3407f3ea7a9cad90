package io.halley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.halley.bench.cluster.Cluster;
import io.halley.bench.cluster.RedisProcess;
import io.halley.bench.load.NioClients;
import io.halley.bench.report.Report;
import io.halley.bench.scenario.Scenarios;
import io.halley.bench.server.HalleyServer;
import io.halley.bench.server.LocalServer;
import io.halley.bench.server.ServerHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The 3-node scenario through the suite's own code: a real redis-server, three Halley nodes on it
 * (in this JVM, each its own Jetty and {@code RedisHub}), 30 SSE subscribers spread over them and
 * every message published on node 1: every subscriber, on every node, receives every message once
 * and in order, and the cluster's rows sit in their own column. Skipped with a loud message
 * without redis-server, failed then when {@code CI=true}.
 */
class NodesSmokeTest {
    private static final int CLIENTS = 30;

    @Test
    @Timeout(90)
    void subscribersOnThreeNodesGetEveryMessagePublishedOnNodeOne() throws Exception {
        String binary = RedisProcess.find();
        if (binary == null) {
            String why = "redis-server is not installed (-Dredis.server, PATH, /usr/bin, /usr/local/bin): the 3-node bench test cannot run";
            if ("true".equals(System.getenv("CI"))) fail(why);
            System.err.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        Plan plan = Plan.smoke(CLIENTS);
        Report report = new Report();
        report.trials = 1;
        List<String> log = new ArrayList<>();
        Scenarios scenarios = new Scenarios(plan, report, (server, target) -> server instanceof Cluster
                ? new NioClients(((Cluster) server).ports(), target, 1) : new NioClients(server.port(), target, 1), log::add);
        RedisProcess redis = RedisProcess.start(binary);
        try (Cluster cluster = Cluster.start(redis, 3, (node, uri) -> new LocalServer(HalleyServer.onRedis(0, uri, node)))) {
            assertEquals(3, cluster.ports().length);
            scenarios.nodesFanOut(cluster);
            scenarios.nodesLatency(cluster);
            int[] held = new int[3];
            for (int i = 0; i < 3; i++) held[i] = cluster.nodes().get(i).stats(false).connections();
            log.add("held after the scenarios: " + java.util.Arrays.toString(held));
        }
        Report.Row row = report.find("nodes-fanout-" + CLIENTS);
        assertNotNull(row, "no 3-node fan-out row; log: " + log);
        assertTrue(row.failures.isEmpty(), "lost or failed: " + row.failures + "; log: " + log);
        assertTrue(row.value(Report.HALLEY_NODES) > 0, "the cluster delivered nothing: " + log);
        Report.Row p99 = report.find("nodes-latency-p99");
        assertTrue(p99.failures.isEmpty(), "latency lost or failed: " + p99.failures + "; log: " + log);
        assertTrue(p99.value(Report.HALLEY_NODES) > 0, "p99; log: " + log);
        assertTrue(report.table().contains("Halley ×3 (Redis)"), report.table());
    }
}
