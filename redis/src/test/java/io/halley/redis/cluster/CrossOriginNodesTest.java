package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.Ports;
import io.halley.testing.SseFeed;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The nodes are different origins (ports of 127.0.0.1). With every node's origin and the page
 * server's in {@code allowedOrigins}, a page of another origin may use a node: every request
 * halley.js makes is answered with CORS headers allowing credentials (errors too, so the client
 * reads a 404 as such), and the POSTs it preflights (JSON body, {@code X-Halley-Token}) pass.
 * Origins not listed get neither CORS headers nor access. And why each node needs its own session
 * cookie name when nodes share a host name: cookies ignore ports.
 */
@Timeout(60)
class CrossOriginNodesTest extends WebClusterSupport {
    private static final String FOREIGN = "http://foreign.example";

    private Map<String, WebNode> start(String pageOrigin) throws Exception {
        RedisSettings s = redisSettings().build();
        return webNodes(List.of("a", "b"), n -> {
            Halley h = runtime(n, s, true);
            h.action("echo", params -> params);
            h.register("echo", (r, args) -> args);
            return h;
        }, pageOrigin);
    }

    private static void assertCors(HttpBrowser.Resp r, String origin, String what) {
        assertEquals(origin, r.header("Access-Control-Allow-Origin"), what + ": Access-Control-Allow-Origin");
        assertEquals("true", r.header("Access-Control-Allow-Credentials"), what + ": Access-Control-Allow-Credentials");
        assertEquals(List.of("Origin"), r.raw().headers().allValues("Vary"), what + ": Vary");
    }

    private static void assertPreflight(HttpBrowser b, URI uri, String headers, String origin) throws Exception {
        HttpBrowser.Resp pre = b.send("OPTIONS", uri, null, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", headers);
        assertEquals(204, pre.status(), "preflight " + uri);
        assertCors(pre, origin, "preflight " + uri);
        assertTrue(pre.header("Access-Control-Allow-Methods").contains("POST"), pre.header("Access-Control-Allow-Methods"));
        String allowed = pre.header("Access-Control-Allow-Headers").toLowerCase();
        for (String h : headers.split(",\\s*")) assertTrue(allowed.contains(h), "preflight allows " + h + ": " + allowed);
    }

    @Test
    void anotherOriginMayUseANodeWithCredentialsOnEveryEndpointTheClientCalls() throws Exception {
        String pageOrigin = WebNode.origin(Ports.free()); // a static page server's origin (nothing listens: not needed here)
        WebNode b = start(pageOrigin).get("b");
        HttpBrowser browser = browser(pageOrigin);

        assertPreflight(browser, b.uri("/page"), "content-type", pageOrigin);
        HttpBrowser.Resp opened = browser.send("POST", b.uri("/page"), "{}");
        assertEquals(200, opened.status(), opened.raw().body());
        assertCors(opened, pageOrigin, "POST /page");
        String cookie = opened.header("Set-Cookie");
        assertTrue(cookie != null && cookie.startsWith("HALLEY_BROWSER="), "the browser cookie, no session: " + cookie);
        assertTrue(cookie.contains("SameSite=Lax"), "SameSite=Lax (None needs Secure, so https): " + cookie);
        System.err.println("browser cookie of a node: " + cookie);
        HttpBrowser.PageRef p = new HttpBrowser.PageRef(opened.json().get("page").getAsString(), opened.json().get("token").getAsString(), b.server());

        SseFeed sse = browser.sse(p);
        assertEquals(pageOrigin, sse.headers().firstValue("Access-Control-Allow-Origin").orElse(null), "GET /sse");
        assertEquals("true", sse.headers().firstValue("Access-Control-Allow-Credentials").orElse(null), "GET /sse");

        for (String path : List.of("/subscribe", "/unsubscribe", "/publish", "/call/echo", "/action/echo")) {
            assertPreflight(browser, b.uri(path), "content-type, x-halley-token", pageOrigin);
        }
        assertCors(browser.pagePost(p, "/subscribe", "\"channel\":\"feed\""), pageOrigin, "POST /subscribe");
        HttpBrowser.Resp published = browser.pagePost(p, "/publish", "\"channel\":\"feed\",\"data\":1");
        assertEquals(202, published.status(), published.raw().body());
        assertCors(published, pageOrigin, "POST /publish");
        HttpBrowser.Resp called = browser.pagePost(p, "/call/echo", "\"args\":[7]");
        assertEquals(202, called.status(), called.raw().body());
        assertCors(called, pageOrigin, "POST /call");
        HttpBrowser.Resp acted = browser.pagePost(p, "/action/echo", "\"params\":8,\"request\":\"r1\"");
        assertEquals(202, acted.status(), acted.raw().body());
        assertCors(acted, pageOrigin, "POST /action");
        // the message first: an unsubscribe before its fan-out would rightly drop it (seen under load)
        Await.until("message, done and reply on the cross-origin stream", () -> sse.messages("feed").size() == 1
                && !sse.commands(c -> SseFeed.op(c, "done")).isEmpty()
                && !sse.commands(c -> SseFeed.op(c, "reply")).isEmpty());
        assertCors(browser.pagePost(p, "/unsubscribe", "\"channel\":\"feed\""), pageOrigin, "POST /unsubscribe");

        HttpBrowser.Resp probe = browser.send("GET", b.uri("/page?page=" + p.page()), null);
        assertEquals(200, probe.status());
        assertCors(probe, pageOrigin, "GET /page (probe)");
        HttpBrowser.Resp unknown = browser.send("GET", b.uri("/page?page=AAAAAAAAAAAAAAAAAAAAAA"), null);
        assertEquals(404, unknown.status());
        assertCors(unknown, pageOrigin, "a 404 probe");
        HttpBrowser.Resp badToken = browser.send("POST", b.uri("/publish"), "{\"page\":\"" + p.page() + "\",\"channel\":\"feed\",\"data\":2}",
                "X-Halley-Token", "wrong");
        assertEquals(403, badToken.status());
        assertCors(badToken, pageOrigin, "a 403");
        sse.close();
        Await.until("the stream ends", () -> b.servlet.heldConnections() == 0);
        HttpBrowser.Resp poll = browser.send("GET", b.uri("/poll?page=" + p.page() + "&since=0"), null);
        assertEquals(200, poll.status());
        assertCors(poll, pageOrigin, "GET /poll");

        // an origin not listed: no CORS headers, no page, no preflight
        HttpBrowser foreign = browser(FOREIGN);
        HttpBrowser.Resp refused = foreign.send("POST", b.uri("/page"), "{}");
        assertEquals(403, refused.status());
        assertNull(refused.header("Access-Control-Allow-Origin"));
        HttpBrowser.Resp refusedPre = foreign.send("OPTIONS", b.uri("/publish"), null, "Access-Control-Request-Method", "POST");
        assertEquals(403, refusedPre.status());
        assertNull(refusedPre.header("Access-Control-Allow-Origin"));
        HttpBrowser.Resp stolen = foreign.send("POST", b.uri("/publish"), "{\"page\":\"" + p.page() + "\",\"channel\":\"feed\",\"data\":3}",
                "X-Halley-Token", p.token());
        assertEquals(403, stolen.status(), "a foreign origin cannot use a page, token or not");
    }

    /**
     * Pages of a browser without a session are bound to its {@code HALLEY_BROWSER} cookie, an id
     * no node keeps state for: one client uses two nodes of one host name at once, even when the
     * nodes share Jetty's {@code JSESSIONID} name.
     */
    @Test
    void withoutSessionsOneClientUsesTwoNodesOfOneHostName() throws Exception {
        sessionCookie = n -> "JSESSIONID";
        assertOneClientKeepsAPageOnEachNode();
    }

    /** One client opens a page on a, then on b, and still owns both. */
    private void assertOneClientKeepsAPageOnEachNode() throws Exception {
        Map<String, WebNode> nodes = start("http://127.0.0.1:1");
        HttpBrowser browser = browser(nodes.get("a").origin());
        HttpBrowser.PageRef pa = browser.openPage(nodes.get("a").server());
        HttpBrowser.PageRef pb = browser.openPage(nodes.get("b").server());
        assertEquals(200, browser.send("GET", nodes.get("a").uri("/page?page=" + pa.page()), null).status());
        assertEquals(200, browser.send("GET", nodes.get("b").uri("/page?page=" + pb.page()), null).status());
    }

    /**
     * Why {@link WebNode} gives each node its own session cookie name when pages are bound to
     * HTTP sessions: with one name (Jetty's {@code JSESSIONID}) on two ports of one host, a
     * client using both nodes at once has one cookie; node B does not know A's session, makes its
     * own and replaces the cookie, and the page on A is no longer the caller's (403). Distinct
     * names keep both sessions.
     */
    @Test
    void withSessionsNodesOnOneHostNameNeedDistinctSessionCookieNames() throws Exception {
        createSessions = true;
        sessionCookie = n -> "JSESSIONID";
        Map<String, WebNode> nodes = start("http://127.0.0.1:1");
        HttpBrowser browser = browser(nodes.get("a").origin());
        HttpBrowser.PageRef pa = browser.openPage(nodes.get("a").server());
        assertEquals(200, browser.send("GET", nodes.get("a").uri("/page?page=" + pa.page()), null).status());
        browser.openPage(nodes.get("b").server()); // b replaces the one JSESSIONID cookie of 127.0.0.1
        assertEquals(403, browser.send("GET", nodes.get("a").uri("/page?page=" + pa.page()), null).status(),
                "with one cookie name the page on a is lost to its own client");
    }

    @Test
    void withSessionsDistinctSessionCookieNamesLetOneClientUseTwoNodesAtOnce() throws Exception {
        createSessions = true;
        assertOneClientKeepsAPageOnEachNode();
    }
}
