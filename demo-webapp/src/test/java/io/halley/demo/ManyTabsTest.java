package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;

/**
 * Twelve tabs of the transports page in one Chromium over plain HTTP/1.1 that do not share a
 * stream ({@code share: false}), where the browser opens at most six connections to the server.
 * Over SSE the server's connection budget (four page streams per browser) advises the tabs past
 * it to poll, so every tab receives the feed, its page's frames and channel messages, its calls,
 * requests and publishes answer, and a request from the last tab still gets a connection at once;
 * when a streaming tab closes, a polling one goes back to streaming. With halley.js's default
 * list ({@code transport=auto}) every tab takes a WebSocket, which browsers keep out of the six
 * (and the budget does not count): all twelve receive within 3 s and answer over their sockets.
 */
class ManyTabsTest extends BrowserTest {
    private static final int TABS = 12;
    private BrowserPage browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    @Test
    void withoutSharingTwelveTabsOfOneBrowserAllReceiveTheFeedAndTheLastOneCanStillFetch() throws Exception {
        browser = Chromium.start();
        WebDriver d = browser.driver();
        Tabs kit = new Tabs(d, "transports.html?transport=sse");
        kit.openUpTo(TABS); // one at a time: the first tab's page open issues the browser's HALLEY_BROWSER cookie
        List<String> tabs = kit.handles;
        int streaming = 0;
        int polling = 0;
        for (int i = 0; i < TABS; i++) {
            d.switchTo().window(tabs.get(i));
            long before = lastFeedNumber(d);
            await(d, "tab " + (i + 1) + " keeps receiving the feed", Duration.ofSeconds(8), x -> lastFeedNumber(x) > before);
            String transport = (String) js(d, "return transportsDemo.conn.transport");
            if (transport.equals("sse")) streaming++;
            else if (transport.equals("poll")) polling++;
        }
        assertEquals(4, streaming, "four tabs hold a stream: the budget");
        assertEquals(TABS - 4, polling, "the others were advised to poll");
        // the polling tabs poll every overBudgetPollInterval (2 s): a frame waits that long at most, plus the poll
        kit.everyTabReceivesWithin(server.halley(), "b1", Duration.ofSeconds(4));
        kit.everyTabsCallsAnswer("b1");
        kit.assertNothingLostOrRepeated("twelve tabs on the budget");

        d.switchTo().window(tabs.get(TABS - 1));
        long ms = ((Number) ((JavascriptExecutor) d).executeAsyncScript(
                "var done = arguments[arguments.length - 1], t0 = performance.now();"
                + "fetch('halley/halley.js', { cache: 'no-store' }).then(function (r) { return r.text(); })"
                + "  .then(function () { done(performance.now() - t0); }, function () { done(-1); });")).longValue();
        assertTrue(ms >= 0 && ms < 5000, "a fetch from the last tab answers within 5 s: " + ms + " ms");

        // a streaming tab closes: its connection is free, and a polling tab streams again
        int closed = -1;
        for (int i = 0; i < TABS && closed < 0; i++) {
            d.switchTo().window(tabs.get(i));
            if ("sse".equals(js(d, "return transportsDemo.conn.transport"))) closed = i;
        }
        d.close();
        tabs.remove(closed);
        awaitStreamingTabs(d, tabs, 4);
    }

    @Test
    void withoutSharingTwelveTabsTakeWebSocketsAndAllReceiveAndAnswer() throws Exception {
        browser = Chromium.start();
        WebDriver d = browser.driver();
        Tabs tabs = new Tabs(d, "transports.html?transport=auto");
        tabs.openUpTo(TABS);
        for (int i = 0; i < TABS; i++) assertEquals("ws", tabs.js(i, "return transportsDemo.conn.transport"), "tab " + (i + 1));
        String browserId = d.manage().getCookieNamed("HALLEY_BROWSER").getValue();
        assertEquals(0, server.comet().streamsOfBrowser(browserId), "sockets are not counted in the budget");
        tabs.everyTabReceivesWithin(server.halley(), "w1", Duration.ofSeconds(3));
        tabs.everyTabsCallsAnswer("w1");
        tabs.assertNothingLostOrRepeated("twelve tabs on WebSockets");
        d.switchTo().window(tabs.handles.get(TABS - 1));
        long ms = ((Number) ((JavascriptExecutor) d).executeAsyncScript(
                "var done = arguments[arguments.length - 1], t0 = performance.now();"
                + "fetch('halley/halley.js', { cache: 'no-store' }).then(function (r) { return r.text(); })"
                + "  .then(function () { done(performance.now() - t0); }, function () { done(-1); });")).longValue();
        assertTrue(ms >= 0 && ms < 5000, "a fetch from the last tab answers within 5 s: " + ms + " ms");
    }

    private static long feedLines(WebDriver d) {
        return ((Number) js(d, "return document.querySelectorAll('#feed li').length")).longValue();
    }

    /** The number of the newest feed message shown (`#42  12:00:01  via sse`), or -1. */
    private static long lastFeedNumber(WebDriver d) {
        Object n = js(d, "var li = document.querySelector('#feed li');"
                + "return li ? Number(/^#(\\d+)/.exec(li.textContent)[1]) : -1");
        return ((Number) n).longValue();
    }

    /** Waits (20 s at most) until {@code expected} of the tabs use SSE. */
    private static void awaitStreamingTabs(WebDriver d, List<String> tabs, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int streaming = 0;
        while (System.nanoTime() < deadline) {
            streaming = 0;
            for (String tab : tabs) {
                d.switchTo().window(tab);
                if ("sse".equals(js(d, "return transportsDemo.conn.transport"))) streaming++;
            }
            if (streaming == expected) return;
            Thread.sleep(250);
        }
        throw new AssertionError(streaming + " tabs stream after a streaming tab closed, expected " + expected);
    }
}
