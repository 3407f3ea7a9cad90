package io.halley.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Summarises a {@code -Xlog:gc} file: the collector, pauses, their total and longest time. */
public final class GcLog {
    private static final Pattern PAUSE = Pattern.compile("Pause (.*?) ([0-9.]+)ms\\s*$");

    private GcLog() {
    }

    public static String summary(Path log) {
        if (!Files.isRegularFile(log)) return "no GC log";
        String collector = "?";
        int pauses = 0;
        int explicit = 0;
        double total = 0;
        double max = 0;
        try {
            for (String line : Files.readAllLines(log)) {
                int using = line.indexOf("Using ");
                if (using >= 0 && collector.equals("?")) collector = line.substring(using + 6).trim();
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    double ms = Double.parseDouble(m.group(2));
                    if (m.group(1).contains("System.gc()")) {
                        explicit++;
                        continue; // the suite's own full GCs before measuring the heap
                    }
                    pauses++;
                    total += ms;
                    max = Math.max(max, ms);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unreadable GC log: " + e;
        }
        return String.format(Locale.ROOT, "%s; %d pauses under load, %.0f ms in total, longest %.1f ms; %d full GCs asked by the suite",
                collector, pauses, total, max, explicit);
    }
}
