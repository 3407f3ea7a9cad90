package io.halley.servlet;

import static io.halley.servlet.TestServer.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A page id is bound to the session that opened it: another session's cookie gets 403. */
class SessionHijackingTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anotherSessionGets403OnEveryTransport(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = TestServer.start(JETTY, TestServer.fastParams());
            Browser alice = new Browser(server);
            Browser mallory = new Browser(server);
            Browser.PageRef p = alice.openPage();
            mallory.openPage(); // mallory has a session of her own
            Browser.Resp r = mallory.get(t.path() + "?page=" + p.page() + "&since=0");
            r.assertError(403);
            Browser.Resp none = new Browser(server).get(t.path() + "?page=" + p.page()); // no session at all
            none.assertError(403);
            assertEquals(0, server.servlet.heldConnections());
            assertEquals(200, alice.get("/page?page=" + p.page()).status(), "the owner still may");
        });
    }

    @Test
    void anotherSessionGets403OnTheProbe() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = TestServer.start(JETTY, TestServer.fastParams());
            Browser alice = new Browser(server);
            Browser mallory = new Browser(server);
            Browser.PageRef p = alice.openPage();
            mallory.openPage();
            mallory.get("/page?page=" + p.page()).assertError(403);
            Browser.Resp ok = alice.get("/page?page=" + p.page());
            assertEquals(200, ok.status());
            assertEquals(p.page(), ok.json().get("page").getAsString());
            assertEquals(true, ok.json().get("alive").getAsBoolean());
        });
    }

    @Test
    void anotherSessionGets403OnAPagePostEvenWithTheToken() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = TestServer.start(JETTY, TestServer.fastParams());
            Browser alice = new Browser(server);
            Browser mallory = new Browser(server);
            Browser.PageRef p = alice.openPage();
            mallory.openPage();
            mallory.post("/action/echo", "{\"page\":\"" + p.page() + "\"}", "Origin", mallory.origin(),
                    "X-Halley-Token", p.token()).assertError(403);
        });
    }
}
