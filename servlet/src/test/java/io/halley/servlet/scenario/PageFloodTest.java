package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One session opening 10,000 pages: the first maxPagesPerSession (100) open, every later one gets
 * 429 with a JSON error naming the setting; no extra page is created; other sessions are
 * unaffected and the session's own pages keep working.
 */
class PageFloodTest extends ScenarioTest {
    static final int ATTEMPTS = 10_000;
    static final int MAX = 100;

    @Test
    void aSessionOpening10000PagesGets429PastMaxPagesPerSessionAndOthersAreUnaffected() {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            TestServer server = start(params("maxPagesPerSession", String.valueOf(MAX), "pageLease", "PT120S"));
            HttpBrowser flood = new HttpBrowser(server);
            HttpBrowser.PageRef first = flood.openPage();
            AtomicInteger openedCount = new AtomicInteger(1);
            AtomicInteger refusedCount = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] senders = new Thread[4];
            for (int k = 0; k < senders.length; k++) {
                senders[k] = new Thread(() -> {
                    try {
                        for (int i = 0; i < (ATTEMPTS - 1) / senders.length + 1 && failure.get() == null; i++) {
                            if (openedCount.get() + refusedCount.get() >= ATTEMPTS) break;
                            HttpBrowser.Resp r = flood.post("/page", "{}", "Origin", flood.origin());
                            if (r.status() == 200) {
                                openedCount.incrementAndGet();
                            } else {
                                if (refusedCount.incrementAndGet() % 1000 == 1) {
                                    r.assertError(429);
                                    assertTrue(r.json().get("error").getAsString().contains("maxPagesPerSession"), r.body());
                                }
                                assertEquals(429, r.status(), r.body());
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "page-flood-" + k);
                senders[k].start();
            }
            for (Thread t : senders) t.join(60_000);
            if (failure.get() != null) throw new AssertionError(failure.get());
            int opened = openedCount.get();
            int refused = refusedCount.get();
            assertTrue(opened + refused >= ATTEMPTS, "attempts: " + (opened + refused));
            assertEquals(MAX, opened, "pages opened");
            assertEquals(opened + refused - MAX, refused);
            assertEquals(MAX, server.halley().pageCount(), "no page beyond the limit exists");

            HttpBrowser other = new HttpBrowser(server);
            HttpBrowser.PageRef o = other.openPage();
            server.page(o.page()).writer().text("#a", "fine").flush();
            try (FrameStream w = Transport.POLL.open(other, o.page(), 0)) {
                assertEquals(1, w.next().get("seq").getAsLong());
            }
            server.page(first.page()).writer().text("#a", "mine").flush();
            try (FrameStream w = Transport.SSE.open(flood, first.page(), 0)) {
                assertEquals(1, w.next().get("seq").getAsLong(), "the flooding session's pages still work");
            }
        });
    }
}
