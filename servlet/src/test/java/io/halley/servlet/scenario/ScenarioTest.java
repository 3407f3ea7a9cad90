package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.servlet.Container;
import io.halley.testing.LeakCheck;
import io.halley.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every scenario: servers started through {@link #start} are stopped after each test,
 * and then nothing may be left (the kit's {@link LeakCheck}): zero live pages, zero held
 * AsyncContexts, zero {@code halley-*} threads; and the used heap (after {@code System.gc()})
 * within a generous bound of its baseline.
 */
abstract class ScenarioTest {
    /** Heap growth tolerated across one scenario, after GC. */
    static final long HEAP_SLACK = 96L << 20;

    private final LeakCheck leaks = new LeakCheck();
    private long heapBefore;

    @BeforeEach
    void baseline() {
        heapBefore = usedHeapAfterGc();
    }

    /** A Jetty server with {@code params} (fast settings plus these), stopped and checked after the test. */
    TestServer start(Map<String, String> params) throws Exception {
        return start(Container.JETTY, params);
    }

    /** The same on container {@code c}. */
    TestServer start(Container c, Map<String, String> params) throws Exception {
        Map<String, String> p = TestServer.fastParams();
        p.putAll(params);
        return track(Container.start(c, p));
    }

    TestServer track(TestServer s) {
        return leaks.track(s);
    }

    /** Forget a server the test already stopped and checked itself. */
    void untrack(TestServer s) {
        leaks.untrack(s);
    }

    @AfterEach
    void nothingLeaked() throws Exception {
        leaks.check(); // each server: held requests drop to 0, stop, 0 pages, 0 held; then 0 halley- threads
        long after = usedHeapAfterGc();
        assertTrue(after - heapBefore < HEAP_SLACK, "heap steady: before " + (heapBefore >> 20) + " MiB, after "
                + (after >> 20) + " MiB");
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
