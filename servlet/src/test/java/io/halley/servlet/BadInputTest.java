package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refusal is a JSON {"error"} with the right status and no stack trace. */
class BadInputTest {
    private static final String UNKNOWN = "AAAAAAAAAAAAAAAAAAAAAA"; // well-formed, never minted

    private TestServer server;
    private HttpBrowser b;
    private HttpBrowser.PageRef p;

    @BeforeEach
    void start() throws Exception {
        Map<String, String> params = TestServer.fastParams();
        params.put("maxBodyBytes", "1024");
        params.put("maxPagesPerSession", "3");
        server = Container.start(JETTY, params);
        b = new HttpBrowser(server);
        p = b.openPage();
    }

    @AfterEach
    void noLeaks() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sse", "/iframe", "/poll", "/page"})
    void malformedUnknownAndMissingPagesAre400And404(String path) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            b.get(path + "?page=not%20an%20id!").assertError(400);
            b.get(path + "?page=" + UNKNOWN).assertError(404);
            b.get(path).assertError(400);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sse", "/iframe", "/poll"})
    void negativeOrNonNumericSinceIs400(String path) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            b.get(path + "?page=" + p.page() + "&since=-1").assertError(400);
            b.get(path + "?page=" + p.page() + "&since=abc").assertError(400);
            assertEquals(0, server.servlet().heldConnections());
        });
    }

    @Test
    void malformedLastEventIdIs400() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                b.get("/sse?page=" + p.page(), "Last-Event-ID", "x1").assertError(400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sse", "/iframe", "/poll", "/page"})
    void deadPageIs410(String path) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server.page(p.page()).close();
            b.get(path + "?page=" + p.page()).assertError(410);
        });
    }

    @Test
    void pagePostsNeedTheTokenAndTheOrigin() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            String body = "{\"page\":\"" + p.page() + "\"}";
            b.post("/action/echo", body, "Origin", b.origin(), "X-Halley-Token", "wrong").assertError(403);
            b.post("/action/echo", body, "Origin", b.origin()).assertError(403);
            b.post("/action/echo", body, "X-Halley-Token", p.token()).assertError(403); // neither Origin nor Referer
            b.post("/action/echo", body, "Origin", "http://evil.example", "X-Halley-Token", p.token()).assertError(403);
            b.post("/action/echo", body, "Referer", "http://evil.example/x", "X-Halley-Token", p.token()).assertError(403);
            b.post("/action/echo", "{\"nopage\":1}", "Origin", b.origin(), "X-Halley-Token", p.token()).assertError(400);
            b.post("/action/echo", "[1,2]", "Origin", b.origin(), "X-Halley-Token", p.token()).assertError(400);
            b.post("/action/echo", "{not json", "Origin", b.origin(), "X-Halley-Token", p.token()).assertError(400);
            b.post("/action/bad%20route", body, "Origin", b.origin(), "X-Halley-Token", p.token()).assertError(400);
            HttpBrowser.Resp ok = b.post("/action/echo", body, "Referer", b.origin() + "/app/index.html", "X-Halley-Token", p.token());
            assertEquals(202, ok.status(), ok.body());
            assertTrue(ok.json().get("request").getAsString().length() > 0);
        });
    }

    @Test
    void openingAPageRefusesAForeignOriginButNotAMissingOne() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            b.post("/page", "{}", "Origin", "http://evil.example").assertError(403);
            b.post("/page", "{}", "Origin", "null").assertError(403);
            assertEquals(200, b.post("/page", "").status(), "no Origin, no Referer: a non-browser client");
        });
    }

    @Test
    void bodiesOverMaxBodyBytesAre413() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            String big = "{\"page\":\"" + p.page() + "\",\"params\":\"" + "x".repeat(2000) + "\"}";
            b.post("/page", big, "Origin", b.origin()).assertError(413);
            b.post("/action/echo", big, "Origin", b.origin(), "X-Halley-Token", p.token()).assertError(413);
        });
    }

    @Test
    void pagesPerSessionPastTheLimitAre429() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            b.openPage();
            b.openPage();
            b.post("/page", "{}", "Origin", b.origin()).assertError(429);
        });
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            HttpBrowser.Resp r = b.method("PUT", "/page", "{}");
            r.assertError(405);
            assertEquals("GET, POST", r.header("Allow"));
            b.post("/sse?page=" + p.page(), "{}").assertError(405);
            b.method("DELETE", "/poll?page=" + p.page(), null).assertError(405);
            b.post("/halley.js", "{}").assertError(405);
            b.get("/action/echo").assertError(405);
            b.get("/nope").assertError(404);
            b.get("/").assertError(404);
        });
    }
}
