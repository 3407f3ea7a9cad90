package io.halley.bench.report;

import io.halley.bench.Plan;
import java.util.Locale;

/** The targets, judged on this run's numbers. */
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

        boolean halleyLost = false;
        boolean anyHalley = false;
        for (Report.Row r : report.rows()) {
            if (r.values.containsKey(Report.HALLEY) || r.failures.containsKey(Report.HALLEY)) anyHalley = true;
            if (r.failures.containsKey(Report.HALLEY)) halleyLost = true;
        }
        report.targets.add(new Report.Target("zero lost (Halley, every scenario)", anyHalley ? !halleyLost : null,
                anyHalley ? (halleyLost ? "see the FAIL cells" : "every message reached every subscriber once, in order") : "not measured"));
    }
}
