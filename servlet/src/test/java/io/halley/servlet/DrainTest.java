package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.SseFeed;
import io.halley.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link CometServlet#drain}, what a container's graceful shutdown needs before it waits for
 * in-flight requests: held streams end at once, their page stays alive (the runtime is not
 * closed by it), and every request from then on is answered 503 with Retry-After, so a client's
 * reconnect is not held again.
 */
class DrainTest {

    @Test
    void drainEndsHeldStreamsAndRefusesNewRequests() throws Exception {
        try (TestServer server = TestServer.jetty().initParams(TestServer.fastParams()).start();
             HttpBrowser browser = new HttpBrowser(server)) {
            HttpBrowser.PageRef page = browser.openPage();
            SseFeed sse = browser.sse(page);
            assertEquals(1, server.servlet().heldConnections());
            long t0 = System.nanoTime();
            assertTrue(server.servlet().drain(Duration.ofSeconds(2)), "nothing held any more");
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(), "drained without waiting out its bound");
            Await.until("the client saw its stream end", Duration.ofSeconds(5), sse::ended);
            assertEquals(1, server.halley().pageCount(), "the page lives on: drain does not close the runtime");
            HttpBrowser.Resp again = browser.get("/sse?page=" + page.page() + "&since=0");
            assertEquals(503, again.status(), again.body());
            assertEquals("2", again.header("Retry-After"));
            assertTrue(again.body().contains("shutting down"), again.body());
            assertEquals(0, server.servlet().heldConnections());
        }
    }
}
