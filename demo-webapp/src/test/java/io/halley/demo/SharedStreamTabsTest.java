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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;

/**
 * The tabs of one Chromium share one held stream: one tab (elected with a Web Lock) holds
 * {@code GET /halley/shared}, the server puts every tab's page on it, and the others get their
 * page's frames over a BroadcastChannel. Every tab receives every frame of its page once and in
 * order (consecutive sequence numbers); when the leader tab closes under traffic another takes
 * over and no tab loses or repeats a frame; the server holds one stream for the browser all along.
 */
class SharedStreamTabsTest extends BrowserTest {
    private static final int TABS = 6;
    private BrowserPage browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    @Test
    void sixTabsShareOneStreamAndTheLeaderClosingLosesAndRepeatsNothing() throws Exception {
        browser = Chromium.start();
        WebDriver d = browser.driver();
        List<String> tabs = new ArrayList<>();
        for (int i = 0; i < TABS; i++) {
            if (i > 0) d.switchTo().newWindow(WindowType.TAB);
            d.get(url("transports.html?transport=sse&share=true"));
            tabs.add(d.getWindowHandle());
            await(d, "tab " + (i + 1) + " receives the feed", x -> feedLines(x) > 0);
            assertEquals("shared", js(d, "return transportsDemo.conn.transport"), "tab " + (i + 1));
            // record every frame this tab's page applies from now on
            js(d, "window.__seqs = []; window.__feed = [];"
                    + "transportsDemo.conn.on('frame', function (f) { __seqs.push(f.seq); });"
                    + "transportsDemo.conn.onChannel('feed', function (m) { __feed.push(m.n); });");
        }
        String browserId = d.manage().getCookieNamed("HALLEY_BROWSER").getValue();
        await(d, "every page on the one shared stream", x -> server.comet().pagesOnSharedStream(browserId) == TABS);
        assertEquals(1, server.comet().heldConnections(), "one held stream for six tabs");
        assertEquals(1, server.comet().streamsOfBrowser(browserId));

        Thread.sleep(3000); // traffic: the feed, one message a second
        int leader = -1;
        for (int i = 0; i < TABS; i++) {
            d.switchTo().window(tabs.get(i));
            if ("leader".equals(js(d, "return transportsDemo.conn.sharedRole()"))) {
                assertEquals(-1, leader, "one leader");
                leader = i;
            }
        }
        assertTrue(leader >= 0, "a tab leads");
        d.switchTo().window(tabs.get(leader));
        d.close();
        tabs.remove(leader);

        for (int i = 0; i < tabs.size(); i++) {
            d.switchTo().window(tabs.get(i));
            long before = count(d, "__feed");
            await(d, "tab " + (i + 1) + " keeps receiving after the leader closed", Duration.ofSeconds(15),
                    x -> count(x, "__feed") >= before + 3);
        }
        await(d, "five pages on the new leader's stream", x -> server.comet().pagesOnSharedStream(browserId) == TABS - 1);
        assertEquals(1, server.comet().heldConnections(), "still one held stream");
        int leaders = 0;
        for (int i = 0; i < tabs.size(); i++) {
            d.switchTo().window(tabs.get(i));
            assertConsecutive(d, "__seqs", "frame sequence numbers of tab " + i);
            assertConsecutive(d, "__feed", "feed messages of tab " + i);
            if ("leader".equals(js(d, "return transportsDemo.conn.sharedRole()"))) leaders++;
        }
        assertEquals(1, leaders, "another tab took the stream over");
    }

    private static long feedLines(WebDriver d) {
        return ((Number) js(d, "return document.querySelectorAll('#feed li').length")).longValue();
    }

    private static long count(WebDriver d, String array) {
        return ((Number) js(d, "return window." + array + ".length")).longValue();
    }

    /** Every number of the tab's array is the previous one plus one: nothing lost, nothing twice, in order. */
    @SuppressWarnings("unchecked")
    private static void assertConsecutive(WebDriver d, String array, String what) {
        List<Number> seen = (List<Number>) js(d, "return window." + array);
        assertTrue(seen.size() >= 5, what + ": " + seen);
        for (int i = 1; i < seen.size(); i++) {
            assertEquals(seen.get(i - 1).longValue() + 1, seen.get(i).longValue(), what + ": " + seen);
        }
    }
}
