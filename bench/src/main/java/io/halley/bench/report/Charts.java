package io.halley.bench.report;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Inline SVG charts for the HTML report: no script, no external asset. Histogram values are µs. */
public final class Charts {
    private static final Map<String, String> COLORS = Map.of(
            Report.HALLEY, "#2b6cb0", Report.LIMIT, "#718096", Report.COMETD, "#dd6b20",
            Report.COMETD_LP, "#c05621", Report.SPRING, "#38a169", Report.ATMOSPHERE, "#805ad5");
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private Charts() {
    }

    private static String color(String server) {
        return COLORS.getOrDefault(server, "#444");
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Grouped bars: one group per row, one bar per server. */
    static String bars(List<Report.Row> rows, List<String> servers) {
        int groupW = Math.max(150, 38 * servers.size() + 36);
        int w = Math.max(420, 70 + rows.size() * groupW);
        int h = 300;
        int top = 30;
        int bottom = 60;
        int left = 70;
        double max = 1;
        for (Report.Row r : rows) for (Double v : r.values.values()) if (v != null) max = Math.max(max, v);
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" role=\"img\" aria-label=\"delivered messages per second\">");
        double plotH = h - top - bottom;
        for (int i = 0; i <= 4; i++) {
            double y = top + plotH - plotH * i / 4;
            b.append("<line x1=\"").append(left).append("\" x2=\"").append(w - 10).append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y))
                    .append("\" stroke=\"#eee\"/><text x=\"").append(left - 6).append("\" y=\"").append(f(y + 4))
                    .append("\" font-size=\"11\" text-anchor=\"end\">").append(Report.num(max * i / 4, 0)).append("</text>");
        }
        int gi = 0;
        for (Report.Row r : rows) {
            double gx = left + 10 + gi * groupW;
            int si = 0;
            for (String s : servers) {
                Double v = r.values.get(s);
                double x = gx + si * 38;
                if (v != null) {
                    double bh = plotH * v / max;
                    b.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(top + plotH - bh)).append("\" width=\"34\" height=\"")
                            .append(f(bh)).append("\" fill=\"").append(color(s)).append("\"><title>").append(s).append(": ")
                            .append(Report.num(v, 0)).append("</title></rect>");
                    if (r.failures.containsKey(s)) {
                        b.append("<text x=\"").append(f(x + 17)).append("\" y=\"").append(f(top + plotH - bh - 4))
                                .append("\" font-size=\"10\" text-anchor=\"middle\" fill=\"#b00020\">LOST</text>");
                    }
                }
                si++;
            }
            b.append("<text x=\"").append(f(gx + 55)).append("\" y=\"").append(h - bottom + 16).append("\" font-size=\"11\" text-anchor=\"middle\">")
                    .append(Report.esc(shortName(r.scenario))).append("</text>");
            gi++;
        }
        legend(b, left, h - 18, servers);
        b.append("</svg>\n");
        return b.toString();
    }

    private static String shortName(String s) {
        return s.length() > 24 ? s.substring(0, 23) + "…" : s;
    }

    private static void legend(StringBuilder b, int x, int y, List<String> servers) {
        int i = 0;
        for (String s : servers) {
            int lx = x + i * 150;
            b.append("<rect x=\"").append(lx).append("\" y=\"").append(y - 10).append("\" width=\"12\" height=\"12\" fill=\"").append(color(s))
                    .append("\"/><text x=\"").append(lx + 16).append("\" y=\"").append(y).append("\" font-size=\"12\">").append(Report.esc(Report.title(s))).append("</text>");
            i++;
        }
    }

    /** Latency by percentile, log scales: one line per server. */
    static String percentiles(Map<String, Histogram> hists) {
        int w = 760;
        int h = 320;
        int left = 70;
        int right = 20;
        int top = 20;
        int bottom = 60;
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (Histogram hg : hists.values()) {
            if (hg.getTotalCount() == 0) continue;
            minMs = Math.min(minMs, Math.max(0.01, hg.getValueAtPercentile(50) / 1000.0));
            maxMs = Math.max(maxMs, hg.getMaxValue() / 1000.0);
        }
        if (maxMs == 0) return "";
        double lo = Math.floor(Math.log10(minMs));
        double hi = Math.ceil(Math.log10(maxMs));
        if (hi <= lo) hi = lo + 1;
        double plotW = w - left - right;
        double plotH = h - top - bottom;
        int points = PERCENTILES.length + 1;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" role=\"img\" aria-label=\"latency by percentile\">");
        for (double d = lo; d <= hi; d++) {
            double y = top + plotH - plotH * (d - lo) / (hi - lo);
            b.append("<line x1=\"").append(left).append("\" x2=\"").append(w - right).append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y))
                    .append("\" stroke=\"#eee\"/><text x=\"").append(left - 6).append("\" y=\"").append(f(y + 4))
                    .append("\" font-size=\"11\" text-anchor=\"end\">").append(msLabel(Math.pow(10, d))).append("</text>");
        }
        for (int i = 0; i < points; i++) {
            double x = left + plotW * i / (points - 1);
            String label = i < PERCENTILES.length ? "p" + trim(PERCENTILES[i]) : "max";
            b.append("<text x=\"").append(f(x)).append("\" y=\"").append(h - bottom + 16).append("\" font-size=\"11\" text-anchor=\"middle\">")
                    .append(label).append("</text>");
        }
        for (Map.Entry<String, Histogram> e : hists.entrySet()) {
            Histogram hg = e.getValue();
            if (hg.getTotalCount() == 0) continue;
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < points; i++) {
                double us = i < PERCENTILES.length ? hg.getValueAtPercentile(PERCENTILES[i]) : hg.getMaxValue();
                double ms = Math.max(Math.pow(10, lo), us / 1000.0);
                double x = left + plotW * i / (points - 1);
                double y = top + plotH - plotH * (Math.log10(ms) - lo) / (hi - lo);
                pts.append(f(x)).append(',').append(f(y)).append(' ');
                b.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"3\" fill=\"").append(color(e.getKey()))
                        .append("\"><title>").append(e.getKey()).append(": ").append(Report.num(us / 1000.0, 2)).append(" ms</title></circle>");
            }
            b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color(e.getKey())).append("\" points=\"")
                    .append(pts.toString().trim()).append("\"/>");
        }
        legend(b, left, h - 14, new java.util.ArrayList<>(hists.keySet()));
        b.append("</svg>\n");
        return b.toString();
    }

    /** One server's latency histogram: share of messages per log-spaced bucket (shared axes across servers). */
    static String histogram(String server, Histogram hg, Collection<Histogram> all) {
        int w = 340;
        int h = 220;
        int left = 44;
        int right = 10;
        int top = 24;
        int bottom = 40;
        long maxUs = 10;
        for (Histogram x : all) maxUs = Math.max(maxUs, x.getMaxValue());
        long minUs = Long.MAX_VALUE;
        for (Histogram x : all) if (x.getTotalCount() > 0) minUs = Math.min(minUs, Math.max(1, x.getMinValue()));
        if (minUs == Long.MAX_VALUE) minUs = 1;
        double lo = Math.floor(Math.log10(minUs) * 4) / 4;
        double hi = Math.ceil(Math.log10(maxUs) * 4) / 4 + 0.25;
        int buckets = Math.max(1, (int) Math.round((hi - lo) * 8));
        double[] share = new double[buckets];
        long total = Math.max(1, hg.getTotalCount());
        for (int i = 0; i < buckets; i++) {
            long from = (long) Math.pow(10, lo + (hi - lo) * i / buckets);
            long to = (long) Math.pow(10, lo + (hi - lo) * (i + 1) / buckets);
            share[i] = hg.getCountBetweenValues(from, Math.max(from, to - 1)) / (double) total;
        }
        double maxShare = 0.01;
        for (double s : share) maxShare = Math.max(maxShare, s);
        double plotW = w - left - right;
        double plotH = h - top - bottom;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" role=\"img\" aria-label=\"").append(server).append(" latency histogram\">");
        b.append("<text x=\"").append(left).append("\" y=\"16\" font-size=\"13\" font-weight=\"bold\" fill=\"").append(color(server)).append("\">")
                .append(server).append("</text><text x=\"").append(w - right).append("\" y=\"16\" font-size=\"11\" text-anchor=\"end\">")
                .append(Report.num(hg.getTotalCount(), 0)).append(" messages</text>");
        double bw = plotW / buckets;
        for (int i = 0; i < buckets; i++) {
            double bh = plotH * share[i] / maxShare;
            if (bh <= 0) continue;
            b.append("<rect x=\"").append(f(left + i * bw)).append("\" y=\"").append(f(top + plotH - bh)).append("\" width=\"").append(f(Math.max(1, bw - 1)))
                    .append("\" height=\"").append(f(bh)).append("\" fill=\"").append(color(server)).append("\"><title>")
                    .append(String.format(Locale.ROOT, "%.1f%%", share[i] * 100)).append("</title></rect>");
        }
        for (double d = Math.ceil(lo); d <= hi; d++) {
            double x = left + plotW * (d - lo) / (hi - lo);
            b.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"").append(top + plotH).append("\" y2=\"")
                    .append(f(top + plotH + 4)).append("\" stroke=\"#666\"/><text x=\"").append(f(x)).append("\" y=\"").append(f(top + plotH + 16))
                    .append("\" font-size=\"10\" text-anchor=\"middle\">").append(msLabel(Math.pow(10, d) / 1000.0)).append("</text>");
        }
        b.append("<text x=\"").append(left - 4).append("\" y=\"").append(top + 8).append("\" font-size=\"10\" text-anchor=\"end\">")
                .append(String.format(Locale.ROOT, "%.0f%%", maxShare * 100)).append("</text>");
        b.append("</svg>");
        return b.toString();
    }

    private static String msLabel(double ms) {
        if (ms >= 1000) return trim(ms / 1000) + " s";
        if (ms >= 1) return trim(ms) + " ms";
        return trim(ms * 1000) + " µs";
    }

    private static String trim(double v) {
        if (v == Math.rint(v)) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%s", v);
    }
}
