package io.halley.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Machine-wide CPU time from {@code /proc/stat}, so that the report can say how much CPU other
 * processes (not the server under test, not the load generator) took during a measurement: on a
 * shared two-core box that is the main source of noise.
 */
public final class SystemCpu {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux

    private SystemCpu() {
    }

    /** Busy CPU time of the whole machine in ns (user, nice, system, irq, softirq, steal), or -1 without /proc. */
    public static long busyNanos() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            int[] fields = {1, 2, 3, 6, 7, 8};
            for (int i : fields) if (i < f.length) busy += Long.parseLong(f[i]);
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The 1-, 5- and 15-minute load averages, or "?". */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
