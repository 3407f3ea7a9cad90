package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halley.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** The transports page: the feed arrives over each transport, and the page says which one it uses. */
class TransportsDemoTest extends OneBrowserTest {
    @ParameterizedTest
    @ValueSource(strings = {"sse", "iframe", "poll"})
    void theFeedArrivesOverEachTransport(String transport) {
        WebDriver d = browser.driver();
        d.get(url("transports.html?transport=" + transport));
        awaitFeedOver(d, transport);
    }

    @Test
    void switchingTransportsReconnectsWithTheChosenOneAndClosesTheOldPage() throws InterruptedException {
        WebDriver d = browser.driver();
        d.get(url("transports.html"));
        awaitFeedOver(d, "sse");
        for (String transport : new String[] {"ws", "poll", "iframe", "sse"}) {
            String old = (String) js(d, "return transportsDemo.conn.page");
            d.findElement(By.id("use-" + transport)).click();
            awaitFeedOver(d, transport);
            assertEquals("true", d.findElement(By.id("use-" + transport)).getAttribute("aria-pressed"));
            Await.until("the old page is closed", Duration.ofSeconds(5),
                    () -> server.halley().pages().stream().noneMatch(p -> p.id().equals(old)));
        }
    }

    private static void awaitFeedOver(WebDriver d, String transport) {
        await(d, "the page says " + transport, x -> textContent(x, "#transport").equals(transport));
        assertEquals(transport, js(d, "return transportsDemo.conn.transport"));
        await(d, "two feed messages carried by " + transport, Duration.ofSeconds(5),
                x -> ((Number) js(x, "var end = ' via ' + arguments[0]; return Array.from(document.querySelectorAll('#feed li'))"
                        + ".filter(function (li) { return li.textContent.endsWith(end); }).length", transport)).intValue() >= 2);
    }
}
