package io.halley.bench.server;

import com.google.gson.Gson;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a server process says about itself: heap in use (after a full GC when asked), resident
 * set size ({@code VmRSS} of {@code /proc/self/status}), live direct buffers, process CPU time,
 * threads, held connections, GC count and time.
 *
 * <p>{@code directBytes}: every live direct {@code ByteBuffer} of the JVM (the "direct" buffer
 * pool MXBean). When measured with the GC, Jetty's buffer pools are emptied of the buffers no
 * connection holds first ({@link Jetty#clearPools}), so that it counts what connections hold:
 * without that, a buffer a closed connection gave back stays pooled and resident, and the next
 * connections' buffers cost nothing new in RSS or here.
 */
public record Stats(long heapUsed, long rssBytes, long directBytes, long cpuNanos, int threads, int connections, int clientsKept,
                    long gcCount, long gcMillis) {
    private static final Gson GSON = new Gson();

    /** Measures this JVM; {@code gc} first runs {@code System.gc()} until the heap stops shrinking (3 times at most). */
    static Stats measure(BenchServer server, boolean gc) {
        if (gc) {
            Jetty.clearPools(); // the buffers no connection holds: then directBytes counts the held ones
            long before = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                System.gc();
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                if (used >= before - (1 << 20)) break;
                before = used;
            }
        }
        long direct = gc ? settledDirect() : direct();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long cpu = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long gcs = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, b.getCollectionCount());
            gcMs += Math.max(0, b.getCollectionTime());
        }
        return new Stats(heap, rss(), direct, cpu, Thread.activeCount(), server.connections(), server.clientsKept(), gcs, gcMs);
    }

    /**
     * {@link #direct()} once it stops falling: a direct buffer's memory is freed by the JDK's
     * cleaner thread after the GC that found the buffer unreachable, not by the GC itself, so a
     * reading right after {@code System.gc()} still counts what the pool just let go (100 ms
     * apart, 3 s at most; another GC between readings).
     */
    private static long settledDirect() {
        long last = direct();
        for (int i = 0; i < 30; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
            System.gc();
            long now = direct();
            if (now >= last) return now;
            last = now;
        }
        return last;
    }

    /** Bytes of all live direct buffers of this JVM (allocated and not yet collected), or -1. */
    static long direct() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) return b.getMemoryUsed();
        }
        return -1;
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
