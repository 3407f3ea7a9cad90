package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Page;
import io.halley.core.PageListener;
import io.halley.core.comet.CometOptions;
import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A page lives while a transport is attached and dies about one lease after the last one left. */
class LeaseTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pageDiesAboutOneLeaseAfterItsTransportWentAwayAndItsDyingMessageReachesThePool(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("pageLease", "1");
            server = Container.start(JETTY, params);
            Map<String, Long> closedAt = new ConcurrentHashMap<>();
            server.halley().addPageListener(new PageListener() {
                @Override
                public void closed(Page page) {
                    closedAt.put(page.id(), System.nanoTime());
                }
            });
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef stay = b.openPage();
            FrameStream stayWire = Transport.SSE.open(b, stay.page(), 0); // keeps the other page alive
            HttpBrowser.PageRef dying = b.openPage();
            // holds the dying page while the pool is set up: its lease is 1 s, and a loaded machine
            // can take longer than that to get here; the transport under test replaces it below
            FrameStream keeper = Transport.SSE.open(b, dying.page(), 0);

            BlockingQueue<Object> received = new LinkedBlockingQueue<>();
            server.page(stay.page()).cometGlobal(c -> {
                while (true) received.add(c.receive());
            }, "room");
            assertTrue(received.poll(5, TimeUnit.SECONDS) instanceof PoolMessage.Init);
            server.page(dying.page()).comet(c -> {
                c.text("#s", "attached").flush();
                while (true) c.receive();
            }, CometOptions.builder().pool("room").scope(Scope.GLOBAL).dyingMessage("bye from dying").build());
            assertTrue(received.poll(5, TimeUnit.SECONDS) instanceof PoolMessage.Join);

            FrameStream w = t.open(b, dying.page(), 0);
            assertEquals(1, w.next().get("seq").getAsLong()); // attached and delivering
            keeper.close(); // replaced by w, so the server already ended it
            if (t == Transport.POLL) w.close(); // the poll was answered; no next poll
            else w.kill();
            long goneAt = System.nanoTime();

            Await.until("the page died", Duration.ofSeconds(10), () -> closedAt.containsKey(dying.page()));
            long ms = TimeUnit.NANOSECONDS.toMillis(closedAt.get(dying.page()) - goneAt);
            assertTrue(ms >= 900 && ms <= 2500, "died " + ms + " ms after its transport went away (lease 1 s)");
            assertNull(closedAt.get(stay.page()), "the attached page lives on");

            Object m1 = received.poll(5, TimeUnit.SECONDS);
            Object m2 = received.poll(5, TimeUnit.SECONDS);
            assertEquals("bye from dying", m1, "the dying message reaches the pool first");
            assertTrue(m2 instanceof PoolMessage.Leave, String.valueOf(m2));
            b.get("/page?page=" + dying.page()).assertError(410);
            assertEquals(200, b.get("/page?page=" + stay.page()).status());
            stayWire.close();
        });
    }

    /** {@code /login} creates the application's session, {@code /logout} invalidates it. */
    private static Map<String, HttpServlet> loginAndLogout() {
        HttpServlet login = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                req.getSession(true);
                resp.setStatus(204);
            }
        };
        HttpServlet logout = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                req.getSession().invalidate();
                resp.setStatus(204);
            }
        };
        return Map.of("/login", login, "/logout", logout);
    }

    private static int app(HttpBrowser b, String path) throws Exception {
        java.net.URI uri = b.server().root().resolve(Container.CONTEXT + path);
        return b.send(java.net.http.HttpRequest.newBuilder(uri).GET().build()).status();
    }

    @ParameterizedTest(name = "session {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"before the page", "after the page"})
    void invalidatingTheSessionClosesItsPagesAtOnceAndEndsTheirStreams(String when) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, new CometServlet(), TestServer.fastParams(), loginAndLogout());
            HttpBrowser b = new HttpBrowser(server);
            if (when.startsWith("before")) assertEquals(204, app(b, "/login"));
            HttpBrowser.PageRef p = b.openPage();
            Page page = server.page(p.page());
            page.writer().text("#a", "1").flush();
            FrameStream w = Transport.SSE.open(b, p.page(), 0);
            assertNotNull(w.next());
            if (when.startsWith("after")) { // the page was the browser cookie's; the new session adopts it
                assertEquals(204, app(b, "/login"));
                assertEquals(200, b.get("/page?page=" + p.page()).status(), "the page is still the browser's");
            }
            assertEquals(204, app(b, "/logout"));
            assertTrue(!page.isAlive(), "the session's page closed at once");
            com.google.gson.JsonObject last = w.next();
            assertNotNull(last, "the page was told before its stream ended");
            assertEquals("halley:sessionended", last.getAsJsonArray("cmds").get(0).getAsJsonObject().get("name").getAsString());
            assertNull(w.next(), "its stream ended");
            w.close();
        });
    }
}
