package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Twelve tabs of one Chromium over HTTP/1.1 share one held stream: one tab (elected with a Web
 * Lock) holds {@code GET /halley/shared}, the server puts every tab's page on it, and the others
 * get their page's frames over a BroadcastChannel. Every tab gets a frame pushed to its page and a
 * channel message within 3 s, and its calls, requests and publishes answer; every tab applies
 * every frame of its page once and in order (consecutive sequence numbers, consecutive feed
 * messages) while the leader closes under traffic, while the tabs go down to one and up to twelve
 * again, and while the leader is frozen (CDP {@code Page.setWebLifecycleState}, with its
 * {@code freeze} event kept from halley.js, so the leader simply stops answering): another tab
 * steals the lock after the leader's silence and takes the stream over. The server holds one
 * stream for the browser all along.
 */
class SharedStreamTabsTest extends BrowserTest {
    private static final int TABS = 12;
    private static final Duration WITHIN = Duration.ofSeconds(3);
    private BrowserPage browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    @Test
    void twelveTabsShareOneStreamThroughLeaderCloseDownToOneUpToTwelveAndAFrozenLeader() throws Exception {
        browser = Chromium.start();
        WebDriver d = browser.driver();
        Tabs tabs = new Tabs(d, "transports.html?transport=sse&share=true");
        tabs.openUpTo(TABS);
        for (int i = 0; i < TABS; i++) assertEquals("shared", tabs.js(i, "return transportsDemo.conn.transport"), "tab " + (i + 1));
        String browserId = d.manage().getCookieNamed("HALLEY_BROWSER").getValue();
        await(d, "every page on the one shared stream", x -> server.comet().pagesOnSharedStream(browserId) == TABS);
        assertEquals(1, server.comet().heldConnections(), "one held stream for twelve tabs");
        tabs.everyTabReceivesWithin(server.halley(), "k1", WITHIN);
        tabs.everyTabsCallsAnswer("c1");

        // the leader closes under traffic (the feed, one message a second)
        tabs.close(tabs.leader());
        tabs.everyTabKeepsReceiving("after the leader closed", 3);
        await(d, "eleven pages on the new leader's stream", x -> server.comet().pagesOnSharedStream(browserId) == TABS - 1);
        assertEquals(1, server.comet().heldConnections(), "still one held stream");
        tabs.leader();
        tabs.assertNothingLostOrRepeated("after the leader closed");

        // down to one tab (the leader among those closed), then up to twelve again
        int leader = tabs.leader();
        tabs.close(leader);
        while (tabs.handles.size() > 1) tabs.close(tabs.handles.size() - 1);
        tabs.everyTabKeepsReceiving("alone", 2);
        assertEquals(0, tabs.leader(), "the last tab leads");
        tabs.openUpTo(TABS);
        await(d, "twelve pages on the stream again", x -> server.comet().pagesOnSharedStream(browserId) == TABS);
        assertEquals(1, server.comet().heldConnections());
        tabs.everyTabReceivesWithin(server.halley(), "k2", WITHIN);
        tabs.everyTabsCallsAnswer("c2");
        tabs.assertNothingLostOrRepeated("down to one and up to twelve");

        // the leader freezes without telling halley.js (its freeze event stopped): it just goes silent
        int frozen = tabs.leader();
        tabs.js(frozen, "window.addEventListener('freeze', function (e) { e.stopImmediatePropagation(); }, true)");
        String frozenHandle = tabs.handles.get(frozen);
        d.switchTo().window(frozenHandle);
        ChromeDriver cdp = (ChromeDriver) d;
        cdp.executeCdpCommand("Page.setWebLifecycleState", Map.of("state", "frozen"));
        try {
            tabs.handles.remove(frozen);
            long t0 = System.nanoTime();
            tabs.everyTabKeepsReceiving("with the leader frozen", 3);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            int next = tabs.leader();
            assertNotEquals(frozenHandle, tabs.handles.get(next));
            tabs.assertNothingLostOrRepeated("after a frozen leader was taken over (" + ms + " ms)");
            tabs.everyTabReceivesWithin(server.halley(), "k3", WITHIN);
            tabs.everyTabsCallsAnswer("c3");
            assertEquals(1, server.comet().heldConnections(), "the new leader's stream replaced the frozen one's");
        } finally {
            d.switchTo().window(frozenHandle);
            cdp.executeCdpCommand("Page.setWebLifecycleState", Map.of("state", "active"));
        }
        // thawed, the old leader finds its lock stolen and follows; its page (ended meanwhile, or not) receives again
        tabs.handles.add(frozenHandle);
        int old = tabs.handles.size() - 1;
        long before = ((Number) tabs.js(old, "return window.__feed.length")).longValue();
        await(d, "the thawed tab follows and receives the feed again", Duration.ofSeconds(20),
                x -> "follower".equals(tabs.js(old, "return transportsDemo.conn.sharedRole()"))
                        && ((Number) tabs.js(old, "return window.__feed.length")).longValue() >= before + 2);
        assertNotEquals(old, tabs.leader(), "the thawed tab does not take the lead back");
    }
}
