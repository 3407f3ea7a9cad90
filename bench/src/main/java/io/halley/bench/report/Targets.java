package io.halley.bench.report;

import io.halley.bench.Plan;
import java.util.Locale;

/** The issues' targets, judged on this run's numbers (medians of the trials; a ratio is a ratio of medians). */
public final class Targets {
    private Targets() {
    }

    public static void evaluate(Plan plan, Report report) {
        int[] levels = plan.idleLevels();
        Report.Row heap = report.find("idle-heap-" + levels[levels.length - 1]);
        Double h = heap == null ? null : heap.value(Report.HALLEY);
        report.targets.add(new Report.Target("heap ≤ 8 KB per idle held SSE page", h == null ? null : h <= 8.0,
                h == null ? "not measured" : String.format(Locale.ROOT, "%.2f KB at %,d pages", h, levels[levels.length - 1])));

        Boolean limitMet = null;
        Boolean cometdMet = null;
        StringBuilder limitDetail = new StringBuilder();
        StringBuilder cometdDetail = new StringBuilder();
        for (int n : plan.fanOut()) {
            Report.Row r = report.find("fanout-" + n);
            if (r == null) continue;
            Double hv = r.value(Report.HALLEY);
            Double lv = r.value(Report.LIMIT);
            Double cv = r.value(Report.COMETD);
            if (hv != null && lv != null && lv > 0) {
                boolean ok = hv >= 0.8 * lv && !r.failures.containsKey(Report.HALLEY);
                limitMet = limitMet == null ? ok : limitMet && ok;
                limitDetail.append(String.format(Locale.ROOT, "%s%,d: %.2f×", limitDetail.length() == 0 ? "" : "; ", n, hv / lv));
            }
            if (hv != null && cv != null && cv > 0) {
                boolean ok = hv >= 2 * cv && !r.failures.containsKey(Report.HALLEY);
                cometdMet = cometdMet == null ? ok : cometdMet && ok;
                cometdDetail.append(String.format(Locale.ROOT, "%s%,d: %.2f×", cometdDetail.length() == 0 ? "" : "; ", n, hv / cv));
            }
        }
        report.targets.add(new Report.Target("fan-out ≥ 0.8 × the limit", limitMet,
                limitDetail.length() == 0 ? "not measured" : limitDetail.toString()));
        report.targets.add(new Report.Target("fan-out ≥ 2 × CometD", cometdMet,
                cometdDetail.length() == 0 ? "not measured" : cometdDetail.toString()));

        Report.Row p99 = report.find("latency-p99");
        Double p = p99 == null ? null : p99.value(Report.HALLEY);
        String at = String.format(Locale.ROOT, "%,d subscribers × %d/s", plan.latencySubscribers(), plan.latencyRate());
        report.targets.add(new Report.Target("p99 ≤ 100 ms at 10k subscribers × 10 broadcasts/s", p == null ? null : p <= 100.0,
                p == null ? "not measured" : String.format(Locale.ROOT, "%.2f ms at %s", p, at)
                        + (plan.latencySubscribers() < 10_000 ? " (fewer subscribers than the target's: quick mode)" : "")));

        ratioTargets(plan, report);

        boolean halleyLost = false;
        boolean anyHalley = false;
        for (Report.Row r : report.rows()) {
            for (String who : new String[] {Report.HALLEY, Report.HALLEY_NODES}) { // the single node and the 3 nodes
                if (r.values.containsKey(who) || r.failures.containsKey(who)) anyHalley = true;
                if (r.failures.containsKey(who)) halleyLost = true;
            }
        }
        report.targets.add(new Report.Target("zero lost (Halley, every scenario, single node and 3 nodes)", anyHalley ? !halleyLost : null,
                anyHalley ? (halleyLost ? "see the FAIL cells" : "every message reached every subscriber once, in order") : "not measured"));
    }

    /**
     * The benchmark issue's targets, each a ratio of medians in this run: latency p99, heap and
     * RSS per idle page, CPU per million deliveries, poll fan-out. A target whose row is flagged
     * (spread over 20 %) says so in its detail.
     */
    private static void ratioTargets(Plan plan, Report report) {
        int[] levels = plan.idleLevels();
        int most = levels[levels.length - 1];
        latencyRatio(report, "latency p99 ≤ 1.25 × the limit's", "");
        int sustained = plan.latencySustainedRate();
        if (sustained > 0) {
            latencyRatio(report, String.format(Locale.ROOT, "latency p99 at %d/s (a rate the limit sustains) ≤ 1.25 × the limit's",
                    sustained), "r" + sustained + "-");
        }
        ratio(report, "heap per idle held page ≤ 1.1 × the limit's", "idle-heap-" + most, Report.LIMIT, 1.1, true,
                String.format(Locale.ROOT, " at %,d pages", most));
        ratio(report, "RSS per connection ≤ CometD's (heap + direct buffers)", "idle-mem-" + most, Report.COMETD, 1.0, true,
                String.format(Locale.ROOT, " at %,d pages", most));
        for (int n : plan.fanOut()) {
            ratio(report, String.format(Locale.ROOT, "server CPU per million deliveries ≤ 1.1 × the limit's at %,d", n),
                    "cpu-fanout-" + n, Report.LIMIT, 1.1, true, "");
        }
        // the same targets over WebSocket (issue #13's rows), against the limit's bare /ws
        ratio(report, "ws: latency p99 ≤ 1.25 × the limit's ws", "ws-latency-p99", Report.LIMIT, 1.25, true, "");
        ratio(report, "ws: heap per idle held page ≤ 1.1 × the limit's ws", "ws-idle-heap-" + most, Report.LIMIT, 1.1, true,
                String.format(Locale.ROOT, " at %,d sockets", most));
        for (int n : plan.fanOut()) {
            ratio(report, String.format(Locale.ROOT, "ws: fan-out ≥ 0.8 × the limit's ws at %,d", n), "ws-fanout-" + n, Report.LIMIT,
                    0.8, false, "");
            ratio(report, String.format(Locale.ROOT, "ws: server CPU per million deliveries ≤ 1.1 × the limit's ws at %,d", n),
                    "cpu-ws-fanout-" + n, Report.LIMIT, 1.1, true, "");
        }
        Report.Row poll = report.find("transport-poll");
        Report.Row sse = report.find("fanout-" + plan.transportSubscribers());
        Double p = poll == null ? null : poll.value(Report.HALLEY);
        Double l = sse == null ? null : sse.value(Report.LIMIT);
        report.targets.add(new Report.Target("poll fan-out ≥ 0.7 × the limit's SSE fan-out", p == null || l == null || l == 0 ? null
                : p >= 0.7 * l, p == null || l == null || l == 0 ? "not measured"
                : String.format(Locale.ROOT, "%.2f×", p / l) + (poll.flagged() || sse.flagged() ? " (a row's trials spread over 20%)" : "")));
    }

    /**
     * The latency p99 ratio to the limit in the window whose rows start with {@code prefix}; not
     * comparable (neither met nor missed) when a server fell behind the window's schedule (its p50
     * row notes the rate it published): its percentiles then count its own backlog, so the ratio
     * says which server kept up, not what a delivery costs.
     */
    private static void latencyRatio(Report report, String name, String prefix) {
        Report.Row p50 = report.find(prefix + "latency-p50");
        Report.Row p99 = report.find(prefix + "latency-p99");
        String behind = p50 == null ? null : p50.notes.entrySet().stream()
                .filter(e -> e.getKey().equals(Report.HALLEY) || e.getKey().equals(Report.LIMIT))
                .map(e -> e.getKey() + ": " + e.getValue()).reduce((a, b) -> a + "; " + b).orElse(null);
        Double h = p99 == null ? null : p99.value(Report.HALLEY);
        Double o = p99 == null ? null : p99.value(Report.LIMIT);
        if (behind == null || h == null || o == null || o == 0) {
            ratio(report, name, prefix + "latency-p99", Report.LIMIT, 1.25, true, "");
            return;
        }
        report.targets.add(new Report.Target(name, null, String.format(Locale.ROOT,
                "not comparable: %.2f×, but a server fell behind the schedule (%s)", h / o, behind)));
    }

    /** Halley's median ÷ {@code other}'s in row {@code id}, at most (lowerIsBetter) or at least {@code bound}. */
    private static void ratio(Report report, String name, String id, String other, double bound, boolean lowerIsBetter, String where) {
        Report.Row r = report.find(id);
        Double h = r == null ? null : r.value(Report.HALLEY);
        Double o = r == null ? null : r.value(other);
        if (h == null || o == null || o == 0 || r.failures.containsKey(Report.HALLEY)) {
            report.targets.add(new Report.Target(name, null, "not measured"));
            return;
        }
        double q = h / o;
        report.targets.add(new Report.Target(name, lowerIsBetter ? q <= bound : q >= bound,
                String.format(Locale.ROOT, "%.2f×%s", q, where) + (r.flagged() ? " (a server's trials spread over 20%)" : "")));
    }
}
