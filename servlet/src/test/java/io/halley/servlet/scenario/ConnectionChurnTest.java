package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.RawHttp;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * 10,000 stream connections opened and dropped (TCP reset) in batches of 100 across pages and
 * transports (SSE, iframe, poll, WebSocket upgrades): afterwards no AsyncContext is held, the pages expire one lease later, and the thread
 * count is back near its baseline.
 */
class ConnectionChurnTest extends ScenarioTest {
    static final int CONNECTIONS = 10_000;
    static final int BATCH = 100;

    /** Live threads other than the container's request pool (qtp*), which Jetty sizes by itself. */
    static int appThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.getName().startsWith("qtp")) n++;
        }
        return n;
    }

    @Test
    void tenThousandDroppedConnectionsLeaveNothingBehind() {
        assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
            TestServer server = start(params("pageLease", "PT1S", "maxHeldConnections", "100000"));
            HttpBrowser b = new HttpBrowser(server);
            List<HttpBrowser.PageRef> pages = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) pages.add(b.openPage());
            int threadsBefore = appThreads();
            Transport[] ts = Transport.values();
            AtomicInteger openedCount = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long t0 = System.nanoTime();
            long until = t0 + Duration.ofSeconds(100).toNanos();
            Thread[] workers = new Thread[4];
            for (int k = 0; k < workers.length; k++) {
                int worker = k;
                workers[k] = new Thread(() -> {
                    try {
                        for (int round = 0; round < CONNECTIONS / BATCH && System.nanoTime() < until; round++) {
                            List<RawHttp> batch = new ArrayList<>(BATCH);
                            for (int i = 0; i < BATCH / workers.length; i++) { // each worker its own quarter of the pages
                                int n = worker * (BATCH / workers.length) + i;
                                Transport t = ts[(round + n) % ts.length];
                                batch.add(t.raw(b, pages.get(n).page(), 0)); // ws: the upgrade, reset at once
                            }
                            for (RawHttp r : batch) r.kill();
                            openedCount.addAndGet(batch.size());
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "churn-" + k);
                workers[k].start();
            }
            for (Thread w : workers) w.join(110_000);
            if (failure.get() != null) throw new AssertionError(failure.get());
            int opened = openedCount.get();
            System.out.println("ConnectionChurnTest: " + opened + " connections in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertEquals(CONNECTIONS, opened, "all connections opened in time");
            Await.until("held connections back to 0 (now " + server.servlet().heldConnections() + ")",
                    Duration.ofSeconds(20), () -> server.servlet().heldConnections() == 0);
            Await.until("the pages expire after their lease", Duration.ofSeconds(20),
                    () -> server.halley().pageCount() == 0);
            // the container's own pool (qtp*) grows under load and shrinks after its idle timeout; it is bounded by its max
            Await.until("threads back near the baseline " + threadsBefore + " (now " + appThreads() + ")",
                    Duration.ofSeconds(30), () -> appThreads() <= threadsBefore + 4);

            // and the server still serves a fresh page
            HttpBrowser.PageRef fresh = b.openPage();
            server.page(fresh.page()).writer().text("#a", "alive").flush();
            try (FrameStream w = Transport.SSE.open(b, fresh.page(), 0)) {
                assertEquals(1, w.next().get("seq").getAsLong());
            }
            assertTrue(server.servlet().heldConnections() <= 1);
        });
    }
}
