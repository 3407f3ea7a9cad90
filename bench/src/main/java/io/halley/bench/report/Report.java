package io.halley.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The results of one suite run and their two renderings: {@code bench.md} (one Markdown table:
 * scenario, Halley, limit, CometD, Halley/limit, Halley/CometD; then the targets, the JMH results,
 * the machine and the JVMs) and {@code bench.html} (the same, self-contained, with inline SVG
 * charts of the fan-out rates and the latency distributions).
 */
public final class Report {
    public static final String HALLEY = "halley";
    public static final String LIMIT = "limit";
    public static final String COMETD = "cometd";
    /** CometD over its long-polling HTTP transport, read by the suite's own NIO load generator. */
    public static final String COMETD_LP = "cometd-lp";
    /** Spring MVC's {@code SseEmitter} on the same Jetty. */
    public static final String SPRING = "spring";
    /** Atmosphere 3 (Jakarta) over its SSE transport on the same Jetty. */
    public static final String ATMOSPHERE = "atmosphere";
    /** Three Halley nodes on one redis-server (RedisHub), the 3-node scenario's column beside the single node's. */
    public static final String HALLEY_NODES = "halley-3";
    /** Every server the suite knows, in column order. */
    public static final List<String> ALL_SERVERS = List.of(HALLEY, LIMIT, COMETD, COMETD_LP, SPRING, ATMOSPHERE, HALLEY_NODES);
    private static final Map<String, String> TITLES = Map.of(HALLEY, "Halley", LIMIT, "limit", COMETD, "CometD (WebSocket)",
            COMETD_LP, "CometD (long-polling)", SPRING, "Spring SseEmitter", ATMOSPHERE, "Atmosphere (SSE)",
            HALLEY_NODES, "Halley ×3 (Redis)");

    /** The column title of a server. */
    public static String title(String server) {
        return TITLES.getOrDefault(server, server);
    }

    /** Which way is better for a row. */
    public enum Better { HIGHER, LOWER }

    public static final class Row {
        final String id;
        final String scenario;
        final String unit;
        final Better better;
        public final Map<String, Double> values = new LinkedHashMap<>();
        public final Map<String, String> failures = new LinkedHashMap<>();
        public final Map<String, String> notes = new LinkedHashMap<>();
        /** Every recorded trial per server; {@link #values} holds their medians. */
        public final Map<String, List<Double>> samples = new LinkedHashMap<>();
        /** CPU used during each trial, per server: {server %, load generator %, other processes %}, for the detail table. */
        public final Map<String, List<double[]>> cpu = new LinkedHashMap<>();

        Row(String id, String scenario, String unit, Better better) {
            this.id = id;
            this.scenario = scenario;
            this.unit = unit;
            this.better = better;
        }

        public Double value(String server) {
            return values.get(server);
        }

        public String id() {
            return id;
        }

        public String scenario() {
            return scenario;
        }

        public String unit() {
            return unit;
        }

        public Better better() {
            return better;
        }

        /** The trials of a server in this row, or null when none was recorded. */
        public Trials trials(String server) {
            List<Double> l = samples.get(server);
            return l == null || l.isEmpty() ? null : new Trials(l);
        }

        /** Whether any server's trials in this row spread over {@link Trials#SPREAD_LIMIT}. */
        public boolean flagged() {
            for (String s : samples.keySet()) if (trials(s).flagged()) return true;
            return false;
        }
    }

    /** A target of the issue and whether this run met it (null: not measured in this run). */
    record Target(String name, Boolean met, String detail) {
        /** The met cell of a target neither met nor missed: {@code not comparable} when its detail says so, else {@code not measured}. */
        String unmet() {
            return detail.startsWith("not comparable") ? "not comparable" : "not measured";
        }
    }

    /** One JMH result. */
    public record Micro(String benchmark, double score, double error, String unit) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    public final Map<String, Histogram> latency = new LinkedHashMap<>();
    public String latencyTitle = "";
    public final List<Micro> micro = new ArrayList<>();
    public final Map<String, String> environment = new LinkedHashMap<>();
    public final Map<String, String> jvms = new LinkedHashMap<>();
    public final List<String> notes = new ArrayList<>();
    final List<Target> targets = new ArrayList<>();
    public final List<String> errors = new ArrayList<>();
    /** Scenarios this run could not run (a missing program), each said loudly under the table; not a failure. */
    public final List<String> skipped = new ArrayList<>();
    public String mode = "";
    /** Recorded trials per cell (the plan's or {@code --trials}); said in the report. */
    public int trials = 1;

    public synchronized Row row(String id, String scenario, String unit, Better better) {
        return rows.computeIfAbsent(id, k -> new Row(id, scenario, unit, better));
    }

    public synchronized Row find(String id) {
        return rows.get(id);
    }

    synchronized List<Row> rows() {
        return new ArrayList<>(rows.values());
    }

    /** Records one trial of a cell; the cell's value becomes the median of its trials so far. */
    public synchronized void put(String id, String scenario, String unit, Better better, String server, double value) {
        Row r = row(id, scenario, unit, better);
        r.samples.computeIfAbsent(server, k -> new ArrayList<>()).add(value);
        r.values.put(server, r.trials(server).median());
    }

    /** Records the CPU of one fan-out trial (percent of one core: the server, the load generator, other processes). */
    public synchronized void cpu(String id, String scenario, String unit, Better better, String server, double serverPct,
                                 double clientPct, double otherPct) {
        row(id, scenario, unit, better).cpu.computeIfAbsent(server, k -> new ArrayList<>())
                .add(new double[] {serverPct, clientPct, otherPct});
    }

    /** The servers that have a value or a failure in some row, in column order. */
    public synchronized List<String> servers() {
        List<String> out = new ArrayList<>();
        for (String s : ALL_SERVERS) {
            for (Row r : rows.values()) {
                if (r.values.containsKey(s) || r.failures.containsKey(s)) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    public synchronized void fail(String id, String scenario, String unit, Better better, String server, String why) {
        row(id, scenario, unit, better).failures.put(server, why);
    }

    public synchronized void error(String what) {
        errors.add(what);
    }

    /** Whether any scenario lost a message or failed. */
    public synchronized boolean failed() {
        if (!errors.isEmpty()) return true;
        for (Row r : rows.values()) if (!r.failures.isEmpty()) return true;
        return false;
    }

    // ---- Markdown ---------------------------------------------------------------------------

    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Halley benchmark (").append(mode).append(")\n\n");
        b.append(environmentLine()).append("\n\n");
        b.append(table()).append('\n').append(trialsLine()).append("\n\n");
        for (String k : skipped) b.append("**⚠ SKIPPED: ").append(k).append("**\n\n");
        String cpu = cpuTable();
        if (!cpu.isEmpty()) b.append("CPU during the fan-out measurements and the latency windows (the p50 row: from the first ")
                .append("recorded broadcast to the last delivery; 100% = one core; the machine has ")
                .append(environment.getOrDefault("cpus", "?")).append("; others = every other process on the machine):\n\n")
                .append(cpu).append('\n');
        if (!targets.isEmpty()) {
            b.append("## Targets\n\n| target | met | measured |\n|---|---|---|\n");
            for (Target t : targets) {
                b.append("| ").append(t.name()).append(" | ").append(t.met() == null ? t.unmet() : t.met() ? "yes" : "**no**")
                        .append(" | ").append(t.detail()).append(" |\n");
            }
            b.append('\n');
        }
        if (!micro.isEmpty()) {
            b.append("## Microbenchmarks (JMH, Halley only)\n\n| benchmark | score | ± | unit |\n|---|---:|---:|---|\n");
            for (Micro m : micro) {
                b.append("| ").append(m.benchmark()).append(" | ").append(num(m.score(), 1)).append(" | ")
                        .append(num(m.error(), 1)).append(" | ").append(m.unit()).append(" |\n");
            }
            b.append('\n');
        }
        if (!errors.isEmpty()) {
            b.append("## Failures\n\n");
            for (String e : errors) b.append("- ").append(e).append('\n');
            b.append('\n');
        }
        if (!notes.isEmpty()) {
            b.append("## Notes\n\n");
            for (String n : notes) b.append("- ").append(n).append('\n');
            b.append('\n');
        }
        b.append("## Machine and JVMs\n\n");
        for (Map.Entry<String, String> e : environment.entrySet()) {
            b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        for (Map.Entry<String, String> e : jvms.entrySet()) {
            b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return b.toString();
    }

    /** The main table alone (also used by the smoke test). */
    public synchronized String table() {
        List<String> servers = servers();
        List<String> others = others(servers);
        StringBuilder b = new StringBuilder("| scenario | unit");
        for (String s : servers) b.append(" | ").append(title(s));
        for (String o : others) b.append(" | Halley/").append(title(o));
        b.append(" |\n|---|---");
        for (int i = 0; i < servers.size() + others.size(); i++) b.append("|---:");
        b.append("|\n");
        for (Row r : rows.values()) {
            b.append("| ").append(r.scenario).append(r.flagged() ? " ⚠" : "").append(" | ").append(r.unit)
                    .append(r.better == Better.HIGHER ? " ↑" : " ↓");
            for (String s : servers) b.append(" | ").append(cell(r, s, trials));
            for (String o : others) b.append(" | ").append(ratio(r, o));
            b.append(" |\n");
        }
        return b.toString();
    }

    /** The servers Halley's ratios are taken against: every other column. */
    private static List<String> others(List<String> servers) {
        List<String> o = new ArrayList<>(servers);
        o.remove(HALLEY);
        return servers.contains(HALLEY) ? o : List.of();
    }

    /** Median server, load-generator and other CPU per fan-out row and server, or empty. */
    synchronized String cpuTable() {
        List<String> servers = servers();
        StringBuilder b = new StringBuilder();
        for (Row r : rows.values()) {
            if (r.cpu.isEmpty()) continue;
            if (b.length() == 0) {
                b.append("| scenario");
                for (String s : servers) b.append(" | ").append(title(s));
                b.append(" |\n|---");
                for (int i = 0; i < servers.size(); i++) b.append("|---");
                b.append("|\n");
            }
            b.append("| ").append(r.scenario);
            for (String s : servers) b.append(" | ").append(cpuCell(r.cpu.get(s)));
            b.append(" |\n");
        }
        return b.toString();
    }

    private static String cpuCell(List<double[]> trials) {
        if (trials == null || trials.isEmpty()) return "—";
        double[] m = new double[3];
        for (int i = 0; i < 3; i++) {
            List<Double> v = new ArrayList<>();
            for (double[] t : trials) v.add(t[i]);
            m[i] = new Trials(v).median();
        }
        return String.format(Locale.ROOT, "server %.0f%%, clients %.0f%%, others %.0f%%", m[0], m[1], m[2]);
    }

    /**
     * The median, then (with more than one trial) min–max and the spread, ⚠ when it is over 20 %,
     * and how many trials it has when that is not the run's {@code planned} count (a trial failed
     * or a row copied from another).
     */
    static String cell(Row r, String server, int planned) {
        String fail = r.failures.get(server);
        Double v = r.values.get(server);
        String note = r.notes.get(server);
        String text = v == null ? (fail == null ? "—" : "") : format(v, r.unit);
        Trials t = v == null ? null : r.trials(server);
        if (t != null && t.count() > 1) {
            text += " (" + t.range(decimals(r.unit, t.median())) + (t.flagged() ? " ⚠" : "") + ")";
        }
        if (t != null && t.count() != planned) text += " [" + t.count() + " of " + planned + " trials]";
        if (note != null) text += " (" + note + ")";
        if (fail != null) text += (text.isEmpty() ? "" : " ") + "**FAIL: " + fail + "**";
        return text;
    }

    /**
     * Halley's median ÷ {@code other}'s, or "—" where there is none: a missing or failed cell, or
     * an {@code other} median that shows as 0 in the row's decimals (CometD's 0.00 KB of direct
     * buffers per idle socket made a ratio of 40,000 of a measurement's rounding).
     */
    static String ratio(Row r, String other) {
        Double h = r.values.get(HALLEY);
        Double o = r.values.get(other);
        if (h == null || o == null || r.failures.containsKey(HALLEY) || r.failures.containsKey(other)) return "—";
        if (Math.abs(o) < 0.5 * Math.pow(10, -decimals(r.unit, o))) return "—";
        return String.format(Locale.ROOT, "%.2f×", h / o);
    }

    static String format(double v, String unit) {
        return num(v, decimals(unit, v));
    }

    static int decimals(String unit, double v) {
        switch (unit) {
            case "msgs/s":
            case "bytes":
            case CPU_PER_MILLION:
                return 0;
            case "ms":
                return v < 10 ? 2 : 1;
            default:
                return 2;
        }
    }

    /** The unit of the server-efficiency rows: CPU milliseconds per million deliveries (= CPU ns per delivery). */
    public static final String CPU_PER_MILLION = "CPU ms per 1M deliveries";

    static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** What a cell means: trials, warm-up, the spread flag, pinning. */
    String trialsLine() {
        return "Each cell: the median of " + trials + " recorded trial" + (trials == 1 ? "" : "s")
                + (trials > 1 ? " (min–max, spread = (max − min) ÷ median; ⚠ marks a spread over 20%: do not steer by that ratio)" : "")
                + ". " + environment.getOrDefault("trials", "") + " " + environment.getOrDefault("pinning", "");
    }

    private String environmentLine() {
        return "Run " + environment.getOrDefault("date", "") + " on " + environment.getOrDefault("cpus", "?") + " cores, "
                + environment.getOrDefault("memory", "?") + ", " + environment.getOrDefault("jdk", "") + ". "
                + "Ratios are Halley ÷ the other server for the row's unit (↑: higher is better, ↓: lower is better).";
    }

    // ---- HTML -------------------------------------------------------------------------------

    public String html() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Halley benchmark</title>\n<style>\n")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}")
                .append("table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}")
                .append(".wide{background:#fff3cd}tr.spread td:first-child{background:#fff3cd}")
                .append(".fail{color:#b00020;font-weight:bold}.ok{color:#0a7d32}.no{color:#b00020;font-weight:bold}")
                .append("svg{background:#fff;border:1px solid #ddd;margin:8px 8px 8px 0}h2{margin-top:28px}")
                .append("</style></head><body>\n");
        b.append("<h1>Halley benchmark (").append(esc(mode)).append(")</h1>\n<p>").append(esc(environmentLine())).append("</p>\n");
        List<String> servers = servers();
        List<String> others = others(servers);
        b.append("<table><tr><th>scenario</th><th>unit</th>");
        for (String sv : servers) b.append("<th>").append(esc(title(sv))).append("</th>");
        for (String o : others) b.append("<th>Halley/").append(esc(title(o))).append("</th>");
        b.append("</tr>\n");
        for (Row r : rows()) {
            b.append("<tr").append(r.flagged() ? " class=\"spread\" title=\"a server's trials spread over 20%\"" : "").append("><td>")
                    .append(esc(r.scenario)).append(r.flagged() ? " ⚠" : "").append("</td><td>").append(esc(r.unit))
                    .append(r.better == Better.HIGHER ? " ↑" : " ↓").append("</td>");
            for (String sv : servers) {
                String c = cell(r, sv, trials).replace("**", "");
                Trials t = r.trials(sv);
                b.append("<td class=\"n").append(r.failures.containsKey(sv) ? " fail" : "").append(t != null && t.flagged() ? " wide" : "")
                        .append("\">").append(esc(c)).append("</td>");
            }
            for (String o : others) b.append("<td class=\"n\">").append(ratio(r, o)).append("</td>");
            b.append("</tr>\n");
        }
        b.append("</table>\n<p>").append(esc(trialsLine())).append("</p>\n");
        String cpu = cpuTable();
        if (!cpu.isEmpty()) {
            b.append("<p>CPU during the fan-out measurements and the latency windows (the p50 row; medians of the trials; 100% = one core):</p><table><tr><th>scenario</th>");
            for (String sv : servers) b.append("<th>").append(esc(title(sv))).append("</th>");
            b.append("</tr>\n");
            for (Row r : rows()) {
                if (r.cpu.isEmpty()) continue;
                b.append("<tr><td>").append(esc(r.scenario)).append("</td>");
                for (String sv : servers) b.append("<td>").append(esc(cpuCell(r.cpu.get(sv)))).append("</td>");
                b.append("</tr>\n");
            }
            b.append("</table>\n");
        }
        if (!targets.isEmpty()) {
            b.append("<h2>Targets</h2><table><tr><th>target</th><th>met</th><th>measured</th></tr>\n");
            for (Target t : targets) {
                String met = t.met() == null ? t.unmet() : t.met() ? "yes" : "no";
                b.append("<tr><td>").append(esc(t.name())).append("</td><td class=\"").append(t.met() == null ? "" : t.met() ? "ok" : "no")
                        .append("\">").append(met).append("</td><td>").append(esc(t.detail())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        b.append(fanOutChart());
        if (!latency.isEmpty()) {
            b.append("<h2>Latency: ").append(esc(latencyTitle)).append("</h2>\n");
            b.append(Charts.percentiles(latency));
            b.append("<div>");
            for (Map.Entry<String, Histogram> e : latency.entrySet()) b.append(Charts.histogram(e.getKey(), e.getValue(), latency.values()));
            b.append("</div>\n");
        }
        if (!micro.isEmpty()) {
            b.append("<h2>Microbenchmarks (JMH, Halley only)</h2><table><tr><th>benchmark</th><th>score</th><th>±</th><th>unit</th></tr>\n");
            for (Micro m : micro) {
                b.append("<tr><td>").append(esc(m.benchmark())).append("</td><td class=\"n\">").append(num(m.score(), 1))
                        .append("</td><td class=\"n\">").append(num(m.error(), 1)).append("</td><td>").append(esc(m.unit())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        for (String k : skipped) b.append("<p class=\"fail\"><b>⚠ SKIPPED: ").append(esc(k)).append("</b></p>\n");
        if (!errors.isEmpty()) {
            b.append("<h2>Failures</h2><ul>");
            for (String e : errors) b.append("<li class=\"fail\">").append(esc(e)).append("</li>");
            b.append("</ul>\n");
        }
        if (!notes.isEmpty()) {
            b.append("<h2>Notes</h2><ul>");
            for (String n : notes) b.append("<li>").append(esc(n)).append("</li>");
            b.append("</ul>\n");
        }
        b.append("<h2>Machine and JVMs</h2><ul>");
        for (Map.Entry<String, String> e : environment.entrySet()) b.append("<li>").append(esc(e.getKey() + ": " + e.getValue())).append("</li>");
        for (Map.Entry<String, String> e : jvms.entrySet()) b.append("<li>").append(esc(e.getKey() + ": " + e.getValue())).append("</li>");
        b.append("</ul>\n</body></html>\n");
        return b.toString();
    }

    private String fanOutChart() {
        List<Row> rates = new ArrayList<>();
        for (Row r : rows()) if (r.unit.equals("msgs/s")) rates.add(r);
        if (rates.isEmpty()) return "";
        return "<h2>Delivered messages per second</h2>\n" + Charts.bars(rates, servers());
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("bench.md"), markdown(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("bench.html"), html(), StandardCharsets.UTF_8);
    }
}
