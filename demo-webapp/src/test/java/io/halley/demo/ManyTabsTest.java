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
 * Eight tabs of the transports page in one Chromium over plain HTTP/1.1, where the browser opens
 * at most six connections to the server: the server's connection budget (four page streams per
 * browser) advises the tabs past it to poll, so every tab receives the feed and a request from
 * the last tab still gets a connection at once; when a streaming tab closes, a polling one goes
 * back to streaming.
 */
class ManyTabsTest extends BrowserTest {
    private static final int TABS = 8;
    private BrowserPage browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    @Test
    void withoutSharingEightTabsOfOneBrowserAllReceiveTheFeedAndTheLastOneCanStillFetch() throws Exception {
        browser = Chromium.start();
        WebDriver d = browser.driver();
        List<String> tabs = new ArrayList<>();
        for (int i = 0; i < TABS; i++) {
            if (i > 0) d.switchTo().newWindow(WindowType.TAB);
            d.get(url("transports.html?transport=sse"));
            tabs.add(d.getWindowHandle());
            // one at a time: the first tab's page open issues the browser's HALLEY_BROWSER cookie
            await(d, "tab " + (i + 1) + " receives the feed", x -> feedLines(x) > 0);
        }
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
        assertEquals(4, polling, "the other four were advised to poll");

        d.switchTo().window(tabs.get(TABS - 1));
        long ms = ((Number) ((JavascriptExecutor) d).executeAsyncScript(
                "var done = arguments[arguments.length - 1], t0 = performance.now();"
                + "fetch('halley/halley.js', { cache: 'no-store' }).then(function (r) { return r.text(); })"
                + "  .then(function () { done(performance.now() - t0); }, function () { done(-1); });")).longValue();
        assertTrue(ms >= 0 && ms < 5000, "a fetch from tab 8 answers within 5 s: " + ms + " ms");

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
