package io.halley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kit's server, client and leak check, on a real Jetty. */
class TestServerTest {
    private final LeakCheck leaks = new LeakCheck();

    @AfterEach
    void nothingLeaked() throws Exception {
        leaks.check();
    }

    @Test
    void settingsContextPathAndExtraServletsAreServed() throws Exception {
        TestServer server = leaks.track(TestServer.jetty().contextPath("/app")
                .settings(s -> s.heartbeat(Duration.ofMillis(300)))
                .halley(h -> h.pageLease(Duration.ofSeconds(7)))
                .servlet("/hello", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.getWriter().print("hello " + req.getSession(true).getId().isEmpty());
                    }
                }).start());
        assertEquals("http://127.0.0.1:" + server.port() + "/app/halley", server.base().toString());
        assertEquals(Duration.ofMillis(300), server.servlet().settings().heartbeat());
        HttpBrowser browser = new HttpBrowser(server);
        HttpBrowser.Resp r = browser.send("GET", java.net.URI.create(server.root() + "/hello"), null);
        assertEquals("hello false", r.body());
        assertTrue(browser.cookieHeader().startsWith("JSESSIONID="), browser.cookieHeader());
        assertEquals(200, browser.get("/halley.js").status());
    }

    @Test
    void aProvidedRuntimeIsServedAndClosedWithTheServer() throws Exception {
        Halley runtime = Halley.builder().nodeId("provided").build();
        TestServer server = TestServer.jetty().runtime(runtime).sessionCookie("MINE").start();
        assertEquals(runtime, server.halley());
        HttpBrowser browser = new HttpBrowser(server, "http://elsewhere.example");
        new HttpBrowser(server).openPage();
        assertEquals(1, runtime.pageCount());
        assertEquals(403, browser.send("POST", server.uri("/page"), "{}").status(), "a page of another origin is refused");
        server.close();
        assertEquals(0, runtime.pageCount());
    }

    @Test
    void aHeldStreamAtCloseIsALeak() throws Exception {
        TestServer server = TestServer.jetty().initParams(TestServer.fastParams()).start();
        HttpBrowser browser = new HttpBrowser(server);
        HttpBrowser.PageRef page = browser.openPage();
        try (FrameStream sse = Transport.SSE.open(browser, page.page(), 0)) {
            assertEquals(200, sse.status());
            AssertionError leak = assertThrows(AssertionError.class, server::close);
            assertTrue(leak.getMessage().contains("held requests"), leak.getMessage());
        }
    }

    @Test
    void aLeftHalleyThreadIsALeakByName() {
        java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                end.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                // ends
            }
        }, "halley-fanout-test");
        t.setDaemon(true);
        t.start();
        try {
            assertTrue(LeakCheck.threads().contains("halley-fanout-test"));
        } finally {
            end.countDown();
        }
        Await.until("the thread ended", () -> !t.isAlive());
        assertTrue(LeakCheck.threads().isEmpty(), LeakCheck.threads().toString());
    }
}
