package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;

/** The Nitrogen clock in a real browser: it ticks, restarts after a lost page, and shows the notice bar. */
class ClockDemoTest extends BrowserTest {
    private static BrowserPage browser;
    private WebDriver d;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.close();
    }

    @BeforeEach
    void openClock() {
        d = browser.driver();
        d.get(url("clock"));
        await(d, "the clock shows a time", x -> textContent(x, "#clock").matches("\\d\\d:\\d\\d:\\d\\d"));
    }

    @Test
    void clockTicksEverySecond() {
        String first = textContent(d, "#clock");
        await(d, "the time changes within 3 s", Duration.ofSeconds(3), x -> !textContent(x, "#clock").equals(first));
        // the default: the browser's tabs share one stream (an SSE stream one of them holds)
        assertEquals("shared", js(d, "return clockDemo.conn.transport"));
        await(d, "the page shows its transport", x -> text(x, "#transport").equals("shared"));
    }

    @Test
    void clockRestartsForTheNewPageAfterTheServerLostThePage() {
        await(d, "a few ticks", x -> tick(x) >= 2);
        String lost = (String) js(d, "return clockDemo.conn.page");
        page(lost).close(); // what a lease expiry does: the function dies, the id answers 410

        String next = await(d, "the client opened a new page", x -> {
            String p = (String) js(x, "return clockDemo.conn.page");
            return p != null && !p.equals(lost) ? p : null;
        });
        await(d, "the reconnect action started a new clock (ticks from 1 again)", x -> tick(x) >= 1 && tick(x) <= 3);
        long t = tick(d);
        await(d, "the new clock ticks", Duration.ofSeconds(3), x -> tick(x) > t);
        assertEquals(1, page(next).functionCount(), "one clock on the new page");
        assertNotEquals(lost, next);
    }

    @Test
    void cuttingTheStreamShowsTheNoticeBarThenReconnected() throws Exception {
        await(d, "connected", x -> Boolean.TRUE.equals(js(x, "return clockDemo.conn.connected")));
        server.connector().stop(); // every connection is cut, nobody listens on the port
        try {
            await(d, "the notice bar says the connection is lost", Duration.ofSeconds(4),
                    x -> noticeShown(x) && textContent(x, "#halley-notice").startsWith("Connection lost"));
        } finally {
            server.connector().start(); // same port: it was set explicitly
        }
        await(d, "the notice bar says Reconnected", Duration.ofSeconds(15),
                x -> noticeShown(x) && textContent(x, "#halley-notice").equals("Reconnected"));
        String before = textContent(d, "#clock");
        await(d, "the clock ticks again", Duration.ofSeconds(4), x -> !textContent(x, "#clock").equals(before));
        await(d, "the notice bar hides again", Duration.ofSeconds(5), x -> !noticeShown(x));
    }

    private static boolean noticeShown(WebDriver d) {
        return Boolean.TRUE.equals(js(d, "var e = document.getElementById('halley-notice');"
                + " return !!e && getComputedStyle(e).display !== 'none';"));
    }

    private static long tick(WebDriver d) {
        String s = textContent(d, "#ticks");
        return s != null && s.startsWith("tick ") ? Long.parseLong(s.split(" ")[1]) : -1;
    }
}
