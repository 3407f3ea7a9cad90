package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** allowedOrigins: listed origins may POST and get CORS headers; others stay refused. */
class CrossOriginTest {
    private static final String FRIEND = "https://friend.example";
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void anAllowedOriginMayPostAndGetsCorsHeaders() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("allowedOrigins", FRIEND);
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.Resp opened = b.post("/page", "{}", "Origin", FRIEND);
            assertEquals(200, opened.status());
            assertEquals(FRIEND, opened.header("Access-Control-Allow-Origin"));
            assertEquals("true", opened.header("Access-Control-Allow-Credentials"));
            String page = opened.json().get("page").getAsString();
            String token = opened.json().get("token").getAsString();
            assertEquals(202, b.post("/action/x", "{\"page\":\"" + page + "\"}", "Origin", FRIEND, "X-Halley-Token", token).status());

            HttpBrowser.Resp pre = b.method("OPTIONS", "/action/x", null, "Origin", FRIEND,
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-halley-token");
            assertEquals(204, pre.status());
            assertEquals(FRIEND, pre.header("Access-Control-Allow-Origin"));
            assertEquals("Content-Type, X-Halley-Token, Last-Event-ID", pre.header("Access-Control-Allow-Headers"));
            assertEquals(List.of("Origin"), pre.raw().headers().allValues("Vary"), "one Vary: Origin on a preflight");

            // errors carry CORS headers too, so a cross-origin client reads a 404/410 as such (not as a network error)
            HttpBrowser.Resp unknown = b.get("/page?page=AAAAAAAAAAAAAAAAAAAAAA", "Origin", FRIEND);
            assertEquals(404, unknown.status());
            assertEquals(FRIEND, unknown.header("Access-Control-Allow-Origin"));
            assertEquals("true", unknown.header("Access-Control-Allow-Credentials"));

            b.method("OPTIONS", "/page", null, "Origin", "https://enemy.example").assertError(403);
            HttpBrowser.Resp enemy = b.post("/page", "{}", "Origin", "https://enemy.example");
            enemy.assertError(403);
            assertNull(enemy.header("Access-Control-Allow-Origin"));
        });
    }
}
