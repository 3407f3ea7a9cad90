package io.halley.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The trials of one cell (one scenario row on one server): median, min, max and spread
 * ({@code (max - min) / median}). A cell whose spread is over {@link #SPREAD_LIMIT} is flagged in
 * the report: its median is not to be trusted for a ratio. Immutable; any thread.
 */
public record Trials(List<Double> values) {
    /** Spreads above this (20 %) flag the cell. */
    public static final double SPREAD_LIMIT = 0.20;

    public Trials {
        if (values.isEmpty()) throw new IllegalArgumentException("no trials");
        values = List.copyOf(values);
    }

    /** The middle value; for an even count the mean of the two middle ones. */
    public double median() {
        List<Double> s = sorted();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().get(0);
    }

    public double max() {
        List<Double> s = sorted();
        return s.get(s.size() - 1);
    }

    /** {@code (max - min) / median}; 0 for one trial or when all are equal; infinite when the median is 0 and they differ. */
    public double spread() {
        double range = max() - min();
        if (range == 0) return 0;
        double m = median();
        return m == 0 ? Double.POSITIVE_INFINITY : range / Math.abs(m);
    }

    /** Whether the spread is over {@link #SPREAD_LIMIT}. */
    public boolean flagged() {
        return spread() > SPREAD_LIMIT;
    }

    public int count() {
        return values.size();
    }

    /** {@code "1.20–1.60, spread 29%"} for the report, with the given decimals. */
    public String range(int decimals) {
        String f = "%,." + decimals + "f";
        return String.format(Locale.ROOT, f + "–" + f, min(), max())
                + String.format(Locale.ROOT, ", spread %.0f%%", spread() * 100);
    }

    private List<Double> sorted() {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }
}
