package io.halley.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.bench.report.Report;
import io.halley.bench.report.Targets;
import org.junit.jupiter.api.Test;

/**
 * A latency target against the limit is judged only where both servers kept the schedule: when
 * one fell behind (its p50 row notes the rate it published) the ratio is shown but the target is
 * "not comparable", neither met nor missed; at the sustained rate it is judged as any ratio.
 */
class LatencyTargetsTest {

    @Test
    void aLatencyRatioAgainstAServerThatFellBehindIsNotComparable() {
        Report report = new Report();
        window(report, "", 650.0, 19_000.0);
        report.row("latency-p50", "latency 10,000 × 10/s: p50", "ms", Report.Better.LOWER).notes.put(Report.LIMIT, "only 3.6/s published");
        window(report, "r2-", 440.0, 400.0);
        Targets.evaluate(Plan.full(), report);

        String md = report.markdown();
        assertTrue(md.contains("| latency p99 ≤ 1.25 × the limit's | not comparable | not comparable: 0.03×, but a server "
                + "fell behind the schedule (limit: only 3.6/s published) |"), md);
        assertTrue(md.contains("| latency p99 at 2/s (a rate the limit sustains) ≤ 1.25 × the limit's | yes | 1.10× |"), md);
    }

    @Test
    void aLatencyRatioWhereBothKeptTheScheduleIsJudged() {
        Report report = new Report();
        window(report, "", 900.0, 450.0);
        Targets.evaluate(Plan.full(), report);
        String md = report.markdown();
        assertTrue(md.contains("| latency p99 ≤ 1.25 × the limit's | **no** | 2.00× |"), md);
    }

    private static void window(Report report, String prefix, double halleyP99, double limitP99) {
        for (String[] server : new String[][] {{Report.HALLEY, "100"}, {Report.LIMIT, "100"}}) {
            report.put(prefix + "latency-p50", "p50", "ms", Report.Better.LOWER, server[0], Double.parseDouble(server[1]));
        }
        report.put(prefix + "latency-p99", "p99", "ms", Report.Better.LOWER, Report.HALLEY, halleyP99);
        report.put(prefix + "latency-p99", "p99", "ms", Report.Better.LOWER, Report.LIMIT, limitP99);
    }
}
