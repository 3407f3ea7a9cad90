package io.halley.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.bench.report.Report.Better;
import org.junit.jupiter.api.Test;

class ReportTrialsTest {

    private static Report withTrials(int trials) {
        Report r = new Report();
        r.trials = trials;
        return r;
    }

    @Test
    void aCellIsTheMedianOfItsTrialsWithItsRange() {
        Report report = withTrials(3);
        for (double v : new double[] {100, 110, 105}) report.put("f", "fan-out", "msgs/s", Better.HIGHER, Report.HALLEY, v);
        for (double v : new double[] {200, 200, 210}) report.put("f", "fan-out", "msgs/s", Better.HIGHER, Report.LIMIT, v);
        Report.Row row = report.find("f");
        assertEquals(105.0, row.value(Report.HALLEY));
        assertFalse(row.flagged(), "10% and 5% spreads are not flagged");
        String table = report.table();
        assertTrue(table.contains("| fan-out | msgs/s ↑ | 105 (100–110, spread 10%) | 200 (200–210, spread 5%) | 0.53× |"), table);
    }

    @Test
    void aSpreadOverTwentyPercentFlagsTheCellAndTheRowInMarkdownAndHtml() {
        Report report = withTrials(3);
        for (double v : new double[] {10, 14, 12}) report.put("c", "cpu", Report.CPU_PER_MILLION, Better.LOWER, Report.HALLEY, v);
        for (double v : new double[] {10, 10, 10}) report.put("c", "cpu", Report.CPU_PER_MILLION, Better.LOWER, Report.LIMIT, v);
        assertTrue(report.find("c").flagged());
        String table = report.table();
        assertTrue(table.contains("| cpu ⚠ | CPU ms per 1M deliveries ↓ | 12 (10–14, spread 33% ⚠) | 10 (10–10, spread 0%) | 1.20× |"), table);
        String html = report.html();
        assertTrue(html.contains("<tr class=\"spread\""), html);
        assertTrue(html.contains("<td class=\"n wide\">12 (10–14, spread 33% ⚠)</td>"), html);
    }

    @Test
    void noRatioIsTakenAgainstAMedianThatShowsAsZero() {
        Report report = withTrials(3);
        for (double v : new double[] {32.0, 32.0, 32.01}) report.put("d", "direct", "KB", Better.LOWER, Report.HALLEY, v);
        for (double v : new double[] {0.0, 0.0004, 0.04}) report.put("d", "direct", "KB", Better.LOWER, Report.COMETD, v);
        for (double v : new double[] {32.0, 32.0, 32.0}) report.put("d", "direct", "KB", Better.LOWER, Report.LIMIT, v);
        String table = report.table();
        assertTrue(table.contains(" | 1.00× | — |") || table.contains(" | — | 1.00× |"), table);
        assertFalse(table.contains("80000"), table);
    }

    @Test
    void aCellWithFewerTrialsThanTheRunSaysHowMany() {
        Report report = withTrials(5);
        report.put("f", "fan-out", "msgs/s", Better.HIGHER, Report.HALLEY, 100);
        report.put("f", "fan-out", "msgs/s", Better.HIGHER, Report.HALLEY, 100);
        assertTrue(report.table().contains("100 (100–100, spread 0%) [2 of 5 trials]"), report.table());
    }

    @Test
    void theColumnsAreTheServersThatRanAndTheRatiosAreTakenAgainstEachOfThem() {
        Report report = withTrials(1);
        report.put("f", "fan-out", "msgs/s", Better.HIGHER, Report.HALLEY, 300);
        report.put("f", "fan-out", "msgs/s", Better.HIGHER, Report.SPRING, 100);
        report.put("f", "fan-out", "msgs/s", Better.HIGHER, Report.ATMOSPHERE, 150);
        String table = report.table();
        assertTrue(table.startsWith("| scenario | unit | Halley | Spring SseEmitter | Atmosphere (SSE) | Halley/Spring SseEmitter "
                + "| Halley/Atmosphere (SSE) |\n"), table);
        assertTrue(table.contains("| fan-out | msgs/s ↑ | 300 | 100 | 150 | 3.00× | 2.00× |"), table);
    }
}
