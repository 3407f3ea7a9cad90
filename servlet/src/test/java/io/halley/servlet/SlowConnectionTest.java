package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Page;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.RawHttp;
import io.halley.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading costs buffered frames, never a thread, and is dropped once its
 * output made no progress for two heartbeats; its page is detached and stays alive for its lease.
 */
class SlowConnectionTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void aClientThatStopsReadingIsDroppedAfterTwoHeartbeatsWithoutProgress() {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("replayBytes", String.valueOf(4 << 20));
            params.put("pageLease", "PT30S");
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            Page page = server.page(p.page());
            int threadsBefore = Thread.activeCount();
            try (RawHttp stuck = RawHttp.get(FrameStream.uri(b, "/sse", p.page(), 0), b.cookieHeader(), Map.of(), false)) {
                assertEquals(200, stuck.status()); // and never reads the body
                String big = "x".repeat(100_000);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                int flushed = 0;
                while (server.servlet().heldConnections() > 0 && System.nanoTime() < deadline) {
                    page.writer().text("#big", big).flush();
                    flushed++;
                    Thread.sleep(5);
                }
                assertEquals(0, server.servlet().heldConnections(), "the stalled stream was dropped after " + flushed + " frames");
                assertTrue(page.isAlive(), "the page lives on for its lease");
                assertTrue(Thread.activeCount() <= threadsBefore + 4, "no thread per stalled connection");
            }
        });
    }
}
