package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.proxy.Nginx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The WebSocket transport in Chromium: a page connected with {@code transport: ['ws', 'sse']}
 * gets its feed over {@code /halley/ws} from the demo's Jetty; behind an nginx that does not pass
 * the upgrade on (no {@code Upgrade}/{@code Connection} headers set, nginx's default) the socket
 * never opens and the page falls back to SSE within a second or two. A page that does not share
 * ({@code share: false}) takes the socket by default, and its calls, publishes, subscribes and
 * actions ride it: they answer, and the browser makes no request to {@code /call},
 * {@code /publish}, {@code /subscribe} or {@code /action} (its resource timing lists none).
 */
class WebSocketBrowserTest extends OneBrowserTest {
    private static Nginx nginx;

    @BeforeAll
    static void startNginx() throws Exception {
        nginx = Nginx.proxyTo(server.port(), List.of(
                "proxy_set_header X-Forwarded-Host $host;",
                "proxy_set_header X-Forwarded-Port $server_port;",
                "proxy_set_header X-Forwarded-Proto $scheme;",
                "proxy_set_header Forwarded \"\";"));
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) nginx.close();
        nginx = null;
    }

    @AfterEach
    void closeSecondConnection() {
        js(browser.driver(), "if (window.wsConn) Demo.closePage(wsConn)");
    }

    /** Connects a second client ({@code window.wsConn}) on the transports page, which itself polls. */
    private static void connect(WebDriver d) {
        js(d, "window.wsEvents = [];"
                + "window.wsConn = Halley.connect({ transport: ['ws', 'sse'], share: false, backoff: { initial: 50, max: 200 } });"
                + "wsConn.on('open', function () { wsEvents.push('open ' + wsConn.transport); });"
                + "wsConn.onChannel('feed', function () { wsEvents.push('feed ' + wsConn.transport); });"
                + "wsConn.ready.then(function () { return Demo.post(wsConn, 'demo/feed/watch'); });");
    }

    private static void awaitFeedOver(WebDriver d, String transport) {
        await(d, "the feed arrives over " + transport,
                x -> (Boolean) js(x, "return wsEvents.indexOf('feed ' + arguments[0]) >= 0", transport));
        assertEquals(transport, js(d, "return wsConn.transport"));
    }

    @Test
    void theFeedArrivesOverAWebSocket() {
        WebDriver d = browser.driver();
        d.get(url("transports.html?transport=poll"));
        connect(d);
        awaitFeedOver(d, "ws");
        assertEquals("open ws", js(d, "return wsEvents[0]"));
    }

    @Test
    void behindAProxyThatRefusesTheUpgradeThePageFallsBackToSse() {
        WebDriver d = browser.driver();
        d.get(nginx.origin() + "/transports.html?transport=poll");
        long t0 = System.nanoTime();
        connect(d);
        assertEquals("ws", js(d, "return wsConn.transport"), "WebSocket first");
        awaitFeedOver(d, "sse");
        assertEquals("open sse", js(d, "return wsEvents[0]"), "the socket never opened");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 4000, "the fallback is fast (no retry cycle): the feed over SSE after " + ms + " ms");
    }

    @Test
    void callsPublishesAndActionsRideTheSocketByDefault() {
        WebDriver d = browser.driver();
        d.get(url("transports.html?transport=poll"));
        js(d, "window.wsConn = Halley.connect({ share: false });"
                + "window.wsRoom = []; wsConn.onChannel('room.ws', function (m) { wsRoom.push(m.text); });");
        await(d, "the default transport list opens the socket",
                x -> Boolean.TRUE.equals(js(x, "return wsConn.connected && wsConn.transport === 'ws'")));
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) d).executeAsyncScript(
                "var done = arguments[arguments.length - 1], out = {};"
                + "performance.clearResourceTimings();"
                + "wsConn.subscribe('room.ws')"
                + ".then(function () { return wsConn.call('progress.run', 1); })"
                + ".then(function (v) { out.primes = v.primes; return wsConn.request('demo.echo', { text: 'h\u00e9' }); })"
                + ".then(function (v) { out.echo = v.text + '/' + v.length; return wsConn.publish('room.ws', { text: 'hi' }); })"
                + ".then(function (v) { out.published = v.published; return wsConn.publish('news', 1); })"
                + ".then(function () { out.refused = 'no'; }, function (e) { out.refused = e.status + ' ' + e.message; })"
                + ".then(function () { return wsConn.call('progress.run', 0); })"
                + ".then(function () { out.bad = 'no'; }, function (e) { out.bad = e.message; })"
                + ".then(function () {"
                + "  out.posts = performance.getEntriesByType('resource').map(function (e) { return e.name; })"
                + "    .filter(function (n) { return /\\/halley\\/(call|action|publish|subscribe)/.test(n); });"
                + "  out.transport = wsConn.transport; done(out);"
                + "}, function (e) { out.error = String(e); done(out); });");
        assertEquals(null, r.get("error"), String.valueOf(r));
        assertEquals(9592L, ((Number) r.get("primes")).longValue(), "the callback's result, from its done frame: " + r);
        assertEquals("hé/2", r.get("echo"), "the action's reply: " + r);
        assertEquals(Boolean.TRUE, r.get("published"), String.valueOf(r));
        assertTrue(String.valueOf(r.get("refused")).startsWith("403 "), "the channel policy refuses over the socket: " + r);
        assertTrue(String.valueOf(r.get("bad")).contains("steps must be 1 to 20"), "bad input: " + r);
        assertEquals(List.of(), r.get("posts"), "no HTTP request for the calls, publishes and actions: " + r);
        assertEquals("ws", r.get("transport"));
        await(d, "the published message arrives over the socket", x -> Boolean.TRUE.equals(js(x, "return wsRoom.indexOf('hi') >= 0")));
    }
}
