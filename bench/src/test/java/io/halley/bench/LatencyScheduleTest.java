package io.halley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.bench.load.NioClients;
import io.halley.bench.report.Report;
import io.halley.bench.scenario.Scenarios;
import io.halley.bench.server.LimitServer;
import io.halley.bench.server.LocalServer;
import io.halley.bench.server.ServerHandle;
import io.halley.bench.server.Stats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The latency scenario times each message from when the schedule meant it to go out, so a server
 * whose publish call blocks (here the limit made to take 250 ms per call, at 10 calls a second)
 * has the backlog it builds counted and its row says it fell behind, while the same server
 * without the delay keeps the schedule. Both windows (the plan's rate, then its sustained rate on
 * the same connections) report. Real limit server, real NIO clients, 20 subscribers.
 */
class LatencyScheduleTest {
    private static final int CLIENTS = 20;

    private final Plan plan = Plan.smoke(CLIENTS);

    @Test
    @Timeout(120)
    void aServerWhosePublishBlocksHasItsBacklogCountedAndFallsBehindInTheReport() throws Exception {
        List<String> log = new ArrayList<>();
        Report report = latency(new SlowPublisher(new LocalServer(new LimitServer(0, Duration.ofSeconds(15))), 250), log);
        Report.Row p50 = report.find("latency-p50");
        Report.Row p99 = report.find("latency-p99");
        assertNotNull(p99, "no latency row; log: " + log);
        assertTrue(p99.failures.isEmpty(), "lost or failed: " + p99.failures + "; log: " + log);
        // due every 100 ms, published every 250: within the one-second window the backlog passes 300 ms
        // (timed from the call, as before, it would read about a millisecond)
        assertTrue(p99.value(Report.LIMIT) > 300, "p99 " + p99.value(Report.LIMIT) + " ms hides the backlog; log: " + log);
        String note = p50.notes.get(Report.LIMIT);
        assertNotNull(note, "no note that it fell behind; log: " + log);
        assertTrue(note.matches("only [0-9.]+/s published"), note);
        double rate = Double.parseDouble(note.replaceAll("[^0-9.]", ""));
        assertTrue(rate < 5, "a 250 ms publish allows 4/s, the note says " + rate);
        Report.Row sustained = report.find("r" + plan.latencySustainedRate() + "-latency-p99");
        assertNotNull(sustained, "no sustained-rate row; log: " + log);
        assertTrue(sustained.value(Report.LIMIT) > 0, "log: " + log);
    }

    @Test
    @Timeout(120)
    void aServerThatKeepsTheScheduleIsNotFlagged() throws Exception {
        List<String> log = new ArrayList<>();
        Report report = latency(new LocalServer(new LimitServer(0, Duration.ofSeconds(15))), log);
        Report.Row p50 = report.find("latency-p50");
        Report.Row p99 = report.find("latency-p99");
        assertNotNull(p99, "no latency row; log: " + log);
        assertTrue(p99.failures.isEmpty(), "lost or failed: " + p99.failures + "; log: " + log);
        assertNull(p50.notes.get(Report.LIMIT), "log: " + log);
        assertTrue(p99.value(Report.LIMIT) < 250, "20 subscribers at 10/s: p99 " + p99.value(Report.LIMIT) + " ms; log: " + log);
        assertEquals(1, report.find("r" + plan.latencySustainedRate() + "-latency-p50").trials(Report.LIMIT).count());
    }

    /** The suite's latency scenario on {@code server} (closed after it), read by NIO clients as the limit's SSE. */
    private Report latency(ServerHandle server, List<String> log) throws Exception {
        Report report = new Report();
        Scenarios scenarios = new Scenarios(plan, report,
                (s, target) -> new NioClients(s.port(), NioClients.Target.LIMIT_SSE, 1), log::add);
        try (server) {
            scenarios.latency(server);
        }
        return report;
    }

    /** A server whose publish call returns {@code millis} late, as one that fans out on the caller's thread under load. */
    private record SlowPublisher(ServerHandle server, long millis) implements ServerHandle {
        @Override
        public String name() {
            return server.name();
        }

        @Override
        public int port() {
            return server.port();
        }

        @Override
        public long pid() {
            return server.pid();
        }

        @Override
        public long publish(int n, int size, long due) throws IOException {
            long first = server.publish(n, size, due);
            try {
                TimeUnit.MILLISECONDS.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return first;
        }

        @Override
        public Stats stats(boolean gc) throws IOException {
            return server.stats(gc);
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
