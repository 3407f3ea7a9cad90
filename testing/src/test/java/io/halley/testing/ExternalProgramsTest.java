package io.halley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The launchers of the kit with the real programs: redis-server and headless Chromium. */
class ExternalProgramsTest {
    private final LeakCheck leaks = new LeakCheck();

    @AfterEach
    void nothingLeaked() throws Exception {
        leaks.check();
    }

    @Test
    void redisRestartsOnTheSamePortAfterAKill() throws Exception {
        try (RedisServer redis = RedisServer.launch()) {
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri());
            redis.kill();
            redis.start();
            try (Socket s = new Socket("127.0.0.1", redis.port())) {
                assertTrue(s.isConnected());
            }
        }
    }

    @Test
    void aMissingRedisServerSkipsTheTestOrFailsItOnCi() {
        String before = System.getProperty("redis.server");
        System.setProperty("redis.server", "/nonexistent/redis-server");
        try {
            Throwable t = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, RedisServer::launch);
            boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
            assertEquals(ci ? org.opentest4j.AssertionFailedError.class : org.opentest4j.TestAbortedException.class,
                    t.getClass(), t.toString());
        } finally {
            if (before == null) System.clearProperty("redis.server");
            else System.setProperty("redis.server", before);
        }
    }

    @Test
    void aBrowserPageRunsHalleyJsFromTheTestServer() throws Exception {
        TestServer server = leaks.track(TestServer.jetty().servlet("/index.html", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/html; charset=utf-8");
                resp.getWriter().print("<!DOCTYPE html><p id=t>waiting</p><script src=\"halley/halley.js\"></script>"
                        + "<script>document.getElementById('t').textContent = typeof Halley;</script>");
            }
        }).start());
        try (BrowserPage page = Chromium.start()) {
            page.get(server.root() + "/index.html");
            assertEquals("object", page.await("halley.js ran", d -> {
                String t = page.textContent("#t");
                return "waiting".equals(t) ? null : t;
            }), page.console());
            assertEquals(1, Chromium.open().size());
        }
    }
}
