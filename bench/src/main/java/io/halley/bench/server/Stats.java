package io.halley.bench.server;

import com.google.gson.Gson;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a server process says about itself: heap in use (after a full GC when asked), resident
 * set size ({@code VmRSS} of {@code /proc/self/status}), process CPU time, threads, held
 * connections, GC count and time.
 */
public record Stats(long heapUsed, long rssBytes, long cpuNanos, int threads, int connections, int clientsKept, long gcCount, long gcMillis) {
    private static final Gson GSON = new Gson();

    /** Measures this JVM; {@code gc} first runs {@code System.gc()} until the heap stops shrinking (3 times at most). */
    static Stats measure(BenchServer server, boolean gc) {
        if (gc) {
            long before = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                System.gc();
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                if (used >= before - (1 << 20)) break;
                before = used;
            }
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long cpu = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long gcs = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, b.getCollectionCount());
            gcMs += Math.max(0, b.getCollectionTime());
        }
        return new Stats(heap, rss(), cpu, Thread.activeCount(), server.connections(), server.clientsKept(), gcs, gcMs);
    }

    /** VmRSS of this process in bytes, or -1 where there is no /proc. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    String toJson() {
        return GSON.toJson(this);
    }

    static Stats fromJson(String json) {
        return GSON.fromJson(json, Stats.class);
    }
}
