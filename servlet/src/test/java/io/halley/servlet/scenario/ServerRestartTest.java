package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.halley.servlet.Container;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A restart (Jetty and Halley stopped, new ones started on the same port) forgets every page: the
 * new runtime never knew the old ids, so they get 404 on every transport and page POST (410 is
 * for a page that died in this runtime, within goneMemory; halley.js treats both as gone). The
 * client re-opens with POST /page and the new page works.
 */
class ServerRestartTest extends ScenarioTest {

    @Test
    void oldPageIdsAreRefusedWith404AfterARestartAndANewPageWorks() {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            TestServer first = start(Map.of());
            int port = first.port();
            HttpBrowser b = new HttpBrowser(first);
            HttpBrowser.PageRef old = b.openPage();
            first.page(old.page()).writer().text("#a", "before").flush();
            try (FrameStream w = Transport.SSE.open(b, old.page(), 0)) {
                assertEquals(1, w.next().get("seq").getAsLong());
                first.stopAndCheck(); // held stream and all
                untrack(first);
                assertNull(w.next(), "the stream ends with the server");
            } catch (java.io.IOException expected) {
                // reset instead of a clean end: also an end
            }

            TestServer second = track(Container.startJetty(port, TestServer.fastParams()));
            assertEquals(port, second.port());
            HttpBrowser again = new HttpBrowser(second); // same port, so the same origin; the old cookie means nothing now
            for (Transport t : Transport.values()) {
                t.request(again, "page=" + old.page() + "&since=1").assertError(404); // ws: the upgrade refused with 404 JSON
            }
            again.get("/page?page=" + old.page()).assertError(404);
            again.pagePost(old, "/action/x", "").assertError(404);
            again.pagePost(old, "/subscribe", "\"channel\":\"news\"").assertError(404);

            HttpBrowser.PageRef fresh = again.openPage();
            assertNotEquals(old.page(), fresh.page());
            second.page(fresh.page()).writer().text("#a", "after").flush();
            for (Transport t : Transport.values()) {
                try (FrameStream w = t.open(again, fresh.page(), 0)) {
                    assertEquals(1, w.next().get("seq").getAsLong(), t + " on the new page");
                }
            }
        });
    }

    @Test
    void aPageThatDiedInThisRuntimeAnswers410() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            TestServer server = start(Map.of());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            server.page(p.page()).close();
            for (Transport t : Transport.values()) {
                t.request(b, "page=" + p.page() + "&since=0").assertError(410);
            }
            b.get("/page?page=" + p.page()).assertError(410);
            HttpBrowser.PageRef fresh = b.openPage();
            server.page(fresh.page()).writer().text("#a", "x").flush();
            try (FrameStream w = Transport.POLL.open(b, fresh.page(), 0)) {
                assertEquals(1, w.next().get("seq").getAsLong());
            }
        });
    }
}
