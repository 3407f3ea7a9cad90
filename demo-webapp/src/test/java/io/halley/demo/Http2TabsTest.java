package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.demo.https.Https;
import io.halley.demo.https.Tls;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import io.halley.testing.ScreenshotOnFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebDriver;

/**
 * Twelve tabs of the transports page in one Chromium over HTTP/2 (TLS with the demo's self-signed
 * certificate, which this browser is told to accept; ALPN picks h2): the page itself came over h2
 * ({@code nextHopProtocol}), and every tab receives a frame pushed to its page and a channel
 * message within 3 s and its calls, requests and publishes answer, both when the tabs share one
 * held stream and with {@code share: false}, where over h2 the connection budget counts nothing
 * and each of the twelve holds its own SSE stream (none is sent to poll) on the browser's one or
 * two connections; and with {@code transport=ws}, where Chromium opens each tab's socket as an
 * RFC 8441 extended CONNECT, a stream of the same connection. The server is the demo's {@link EmbeddedServer} with {@link Https}, set up as
 * {@link BrowserTest}'s (4 s lease, 1 s heartbeat), and leaves nothing behind.
 */
@ExtendWith(ScreenshotOnFailure.class)
class Http2TabsTest {
    private static final int TABS = 12;
    private static final Duration WITHIN = Duration.ofSeconds(3);
    private static EmbeddedServer server;
    private BrowserPage browser;

    @BeforeAll
    static void startServer() throws Exception {
        Chromium.requireInstalled();
        server = EmbeddedServer.start(new EmbeddedServer.Options("127.0.0.1", 0, BrowserTest.LEASE, BrowserTest.HEARTBEAT)
                .announceEvery(BrowserTest.ANNOUNCE_EVERY).https(new Https(0, Tls.selfSigned())));
    }

    @AfterAll
    static void stopServerAndCheckNothingLeaked() {
        EmbeddedServer s = server;
        server = null;
        BrowserTest.stopAndCheckNothingLeaked(s);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    @Test
    void twelveTabsOverHttp2ShareOneStreamAndAllReceiveAndAnswer() throws Exception {
        Tabs tabs = openTabs("transports.html?transport=sse&share=true", "shared");
        WebDriver d = browser.driver();
        String browserId = d.manage().getCookieNamed("HALLEY_BROWSER").getValue();
        BrowserTest.await(d, "every page on the one shared stream", x -> server.comet().pagesOnSharedStream(browserId) == TABS);
        assertEquals(1, server.comet().heldConnections(), "one held stream for twelve tabs");
        tabs.leader();
        tabs.everyTabReceivesWithin(server.halley(), "s1", WITHIN);
        tabs.everyTabsCallsAnswer("s1");
        tabs.assertNothingLostOrRepeated("twelve tabs sharing over h2");
    }

    @Test
    void withoutSharingTwelveTabsOverHttp2EachHoldTheirOwnStreamAndAllReceiveAndAnswer() throws Exception {
        Tabs tabs = openTabs("transports.html?transport=sse", "sse");
        WebDriver d = browser.driver();
        String browserId = d.manage().getCookieNamed("HALLEY_BROWSER").getValue();
        BrowserTest.await(d, "twelve held streams", x -> server.comet().heldConnections() == TABS);
        assertEquals(0, server.comet().streamsOfBrowser(browserId), "over h2 the budget counts no stream");
        int connections = httpsConnections();
        assertTrue(connections >= 1 && connections <= 2, "twelve streams on the browser's one or two connections: " + connections);
        tabs.everyTabReceivesWithin(server.halley(), "o1", WITHIN);
        tabs.everyTabsCallsAnswer("o1");
        tabs.assertNothingLostOrRepeated("twelve tabs on their own streams over h2");
    }

    @Test
    void twelveTabsOverHttp2EachOpenTheirWebSocketAsAStreamOfTheBrowsersConnection() throws Exception {
        Tabs tabs = openTabs("transports.html?transport=ws", "ws");
        WebDriver d = browser.driver();
        BrowserTest.await(d, "twelve held sockets", x -> server.comet().heldConnections() == TABS);
        // an HTTP/1.1 upgrade would take a TCP connection per socket; RFC 8441 puts all twelve on h2's
        int connections = httpsConnections();
        assertTrue(connections >= 1 && connections <= 2,
                "twelve sockets as extended CONNECT streams of the browser's one or two connections: " + connections);
        tabs.everyTabReceivesWithin(server.halley(), "w1", WITHIN);
        tabs.everyTabsCallsAnswer("w1");
        tabs.assertNothingLostOrRepeated("twelve tabs on their own sockets over h2");
    }

    /** Opens the twelve tabs of {@code query} over h2 and checks that each page and halley.js came over h2 and connected by {@code transport}. */
    private Tabs openTabs(String query, String transport) throws IOException {
        browser = Chromium.startIgnoringCertificateErrors();
        Tabs tabs = new Tabs(browser.driver(), server.httpsUri(), query);
        tabs.openUpTo(TABS);
        for (int i = 0; i < TABS; i++) {
            assertServedOverHttp2(tabs, i);
            assertEquals(transport, tabs.js(i, "return transportsDemo.conn.transport"), "tab " + (i + 1));
        }
        return tabs;
    }

    /** The tab's page came over h2 (the navigation's ALPN protocol), and so did halley.js. */
    private static void assertServedOverHttp2(Tabs tabs, int i) {
        assertEquals("h2", tabs.js(i, "return performance.getEntriesByType('navigation')[0].nextHopProtocol"),
                "tab " + (i + 1) + "'s page");
        assertEquals("h2", tabs.js(i, "var r = performance.getEntriesByType('resource').filter(function (e) {"
                + " return /halley\\/halley\\.js/.test(e.name); })[0]; return r ? r.nextHopProtocol : null"),
                "tab " + (i + 1) + "'s halley.js");
    }

    /** The TCP connections open on the HTTPS connector now. */
    private static int httpsConnections() {
        return Arrays.stream(server.connector().getServer().getConnectors())
                .filter(c -> c.getProtocols().contains("h2"))
                .mapToInt(c -> ((ServerConnector) c).getConnectedEndPoints().size()).sum();
    }
}
