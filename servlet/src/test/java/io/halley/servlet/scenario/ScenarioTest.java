package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.servlet.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every scenario: servers started through {@link #start} are stopped after each test,
 * and then nothing may be left: zero live pages, zero held AsyncContexts, zero {@code halley-*}
 * threads, and the used heap (after {@code System.gc()}) within a generous bound of its baseline.
 */
abstract class LeakCheck {
    /** Heap growth tolerated across one scenario, after GC. */
    static final long HEAP_SLACK = 96L << 20;

    private final List<TestServer> servers = new ArrayList<>();
    private long heapBefore;

    @BeforeEach
    void baseline() {
        heapBefore = usedHeapAfterGc();
    }

    /** A Jetty server with {@code params} (fast settings plus these), stopped and checked after the test. */
    TestServer start(Map<String, String> params) throws Exception {
        Map<String, String> p = TestServer.fastParams();
        p.putAll(params);
        return track(TestServer.start(TestServer.Container.JETTY, p));
    }

    TestServer track(TestServer s) {
        servers.add(s);
        return s;
    }

    /** Forget a server the test already stopped and checked itself. */
    void untrack(TestServer s) {
        servers.remove(s);
    }

    @AfterEach
    void nothingLeaked() throws Exception {
        AssertionError first = null;
        for (TestServer s : servers) {
            try {
                int held = s.servlet.heldConnections();
                try {
                    TestServer.awaitTrue("held AsyncContexts drop to 0 (now " + held + ")", Duration.ofSeconds(10),
                            () -> s.servlet.heldConnections() == 0);
                } finally {
                    s.stopAndCheck(); // zero pages after the runtime closed, zero held after stop
                }
                assertEquals(0, s.halley().pageCount(), "live pages after close");
            } catch (AssertionError e) {
                if (first == null) first = e;
            }
        }
        servers.clear();
        if (first != null) throw first;
        TestServer.awaitTrue("no halley-* threads left: " + halleyThreads(), Duration.ofSeconds(10),
                () -> halleyThreads().isEmpty());
        long after = usedHeapAfterGc();
        assertTrue(after - heapBefore < HEAP_SLACK, "heap steady: before " + (heapBefore >> 20) + " MiB, after "
                + (after >> 20) + " MiB");
    }

    static List<String> halleyThreads() {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("halley-")) out.add(t.getName());
        }
        return out;
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
