package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * halley.js picks its transport from the preference list in a real Chromium: it passes over one
 * the browser lacks, and falls back to the next one when the first never opens.
 */
class TransportFallbackTest extends OneBrowserTest {
    /** Connects a second client (`window.fallback`) on the transports page, which itself polls. */
    private static void connect(WebDriver d, String transports) {
        js(d, "window.fallbackEvents = [];"
                + "window.fallback = Halley.connect({ transport: " + transports + ", share: false," // this tab's own stream
                + "  backoff: { initial: 50, max: 200 } });"
                + "fallback.on('open', function () { fallbackEvents.push('open ' + fallback.transport); });"
                + "fallback.onChannel('feed', function () { fallbackEvents.push('feed ' + fallback.transport); });"
                + "fallback.ready.then(function () { return Demo.post(fallback, 'demo/feed/watch'); });");
    }

    private static void awaitFeedOver(WebDriver d, String transport) {
        await(d, "the feed arrives over " + transport,
                x -> (Boolean) js(x, "return fallbackEvents.indexOf('feed ' + arguments[0]) >= 0", transport));
        assertEquals(transport, js(d, "return fallback.transport"));
        assertEquals("open " + transport, js(d, "return fallbackEvents[0]"), "opened once, over " + transport);
    }

    @AfterEach
    void closeAndUnblock() {
        WebDriver d = browser.driver();
        js(d, "if (window.fallback) Demo.closePage(fallback)");
        ((ChromeDriver) d).executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
    }

    @Test
    void withoutEventSourceTheNextTransportInTheListIsUsed() {
        WebDriver d = browser.driver();
        d.get(url("transports.html?transport=poll"));
        js(d, "window.EventSource = undefined");
        connect(d, "['sse', 'poll']");
        assertEquals("poll", js(d, "return fallback.transport"), "chosen at connect, without trying SSE");
        awaitFeedOver(d, "poll");
    }

    @Test
    void anSseStreamThatNeverOpensFallsBackToTheNextTransport() {
        WebDriver d = browser.driver();
        d.get(url("transports.html?transport=poll"));
        ChromeDriver chrome = (ChromeDriver) d;
        chrome.executeCdpCommand("Network.enable", Map.of());
        chrome.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/sse?page=*")));
        connect(d, "['sse', 'iframe']");
        assertEquals("sse", js(d, "return fallback.transport"), "SSE first");
        awaitFeedOver(d, "iframe");
    }
}
