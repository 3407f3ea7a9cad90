package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halley.testing.Nginx;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;

/**
 * The WebSocket transport in Chromium: a page connected with {@code transport: ['ws', 'sse']}
 * gets its feed over {@code /halley/ws} from the demo's Jetty; behind an nginx that does not pass
 * the upgrade on (no {@code Upgrade}/{@code Connection} headers set, nginx's default) the socket
 * never opens and the page falls back to SSE.
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
        connect(d);
        assertEquals("ws", js(d, "return wsConn.transport"), "WebSocket first");
        awaitFeedOver(d, "sse");
        assertEquals("open sse", js(d, "return wsEvents[0]"), "the socket never opened");
    }
}
