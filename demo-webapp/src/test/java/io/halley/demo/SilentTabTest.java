package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A tab that goes silent without {@code pagehide} does not keep its page on the browser's shared
 * stream: the demo with {@code sharedPageTimeout} 6 s (each tab renews its pages every 1.5 s), three
 * tabs of one Chromium on one shared stream. A follower tab's renderer crashes (CDP
 * {@code Page.crash}: no {@code pagehide}, no {@code POST /leave}); its page is taken off the
 * stream within the timeout and its lease runs out, while the other tabs keep receiving, nothing
 * lost or repeated. Then a follower is frozen past the timeout (CDP
 * {@code Page.setWebLifecycleState}); its page is taken off, and once thawed the tab finds out
 * (its renewal answered 409), joins again from its last sequence and has missed nothing.
 */
class SilentTabTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(6);
    private static final Duration LEASE = Duration.ofSeconds(20);
    private static EmbeddedServer server;
    private BrowserPage browser;

    @BeforeAll
    static void startServer() throws Exception {
        Chromium.requireInstalled();
        server = EmbeddedServer.start(new EmbeddedServer.Options("127.0.0.1", 0, LEASE, BrowserTest.HEARTBEAT)
                .announceEvery(BrowserTest.ANNOUNCE_EVERY).sharedPageTimeout(TIMEOUT));
    }

    @AfterAll
    static void stopServer() {
        EmbeddedServer s = server;
        server = null;
        if (s != null) BrowserTest.stopAndCheckNothingLeaked(s);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    @Test
    void aCrashedTabsPageLeavesTheSharedStreamAndAFrozenTabRejoinsWithNothingLost() throws Exception {
        browser = Chromium.start();
        WebDriver d = browser.driver();
        Tabs tabs = new Tabs(d, URI.create("http://127.0.0.1:" + server.port() + "/"), "transports.html?transport=sse&share=true");
        tabs.openUpTo(3);
        String browserId = d.manage().getCookieNamed("HALLEY_BROWSER").getValue();
        BrowserTest.await(d, "three pages on the one shared stream", x -> server.comet().pagesOnSharedStream(browserId) == 3);

        // a follower's renderer crashes: no pagehide, no /leave; its page must not stay on the stream
        int crashed = tabs.leader() == 2 ? 1 : 2;
        String crashedPage = (String) tabs.js(crashed, "return transportsDemo.conn.page");
        ChromeDriver cdp = (ChromeDriver) d;
        try {
            cdp.executeCdpCommand("Page.crash", Map.of());
        } catch (RuntimeException expected) {
            // the command's target is gone with its renderer: chromedriver may report that
        }
        long crashedAt = System.nanoTime();
        tabs.handles.remove(crashed);
        d.switchTo().window(tabs.handles.get(0));
        BrowserTest.await(d, "the crashed tab's page taken off the shared stream", Duration.ofSeconds(15),
                x -> server.comet().pagesOnSharedStream(browserId) == 2);
        long offMs = (System.nanoTime() - crashedAt) / 1_000_000;
        assertTrue(offMs >= TIMEOUT.toMillis() - 2000, "taken off for its silence (after " + offMs + " ms), not at once");
        BrowserTest.await(d, "the crashed tab's page ended when its lease ran out", LEASE.plusSeconds(10),
                x -> server.halley().pages().stream().noneMatch(p -> p.id().equals(crashedPage)));
        tabs.everyTabKeepsReceiving("after a tab crashed", 2);
        tabs.assertNothingLostOrRepeated("after a tab crashed");
        assertEquals(2, server.comet().pagesOnSharedStream(browserId), "the live tabs' pages stay on (they renew)");

        // a follower frozen past the timeout: its page is taken off, and it joins again when thawed
        int frozen = tabs.leader() == 0 ? 1 : 0;
        String frozenHandle = tabs.handles.get(frozen);
        long feedBefore = ((Number) tabs.js(frozen, "return window.__feed.length")).longValue();
        cdp.executeCdpCommand("Page.setWebLifecycleState", Map.of("state", "frozen"));
        try {
            BrowserTest.await(d, "the frozen tab's page taken off the shared stream", Duration.ofSeconds(15),
                    x -> server.comet().pagesOnSharedStream(browserId) == 1);
        } finally {
            d.switchTo().window(frozenHandle);
            cdp.executeCdpCommand("Page.setWebLifecycleState", Map.of("state", "active"));
        }
        BrowserTest.await(d, "the thawed tab's page back on the shared stream", Duration.ofSeconds(15),
                x -> server.comet().pagesOnSharedStream(browserId) == 2);
        d.switchTo().window(frozenHandle);
        BrowserTest.await(d, "the thawed tab receives the feed again", Duration.ofSeconds(15),
                x -> ((Number) BrowserTest.js(x, "return window.__feed.length")).longValue() >= feedBefore + 3);
        tabs.everyTabKeepsReceiving("after the frozen tab came back", 2);
        tabs.assertNothingLostOrRepeated("after a tab was frozen past the timeout");
        assertTrue(server.halley().pages().stream().anyMatch(p -> p.id().equals(tabs.js(frozen, "return transportsDemo.conn.page"))),
                "the thawed tab kept its page");
    }
}
