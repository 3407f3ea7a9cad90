package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** The index links every demo; every demo page loads on a phone-sized screen without console errors. */
class IndexPageTest extends OneBrowserTest {
    @Test
    void theIndexLinksEachDemoWithWhatItShowsAndItsSeed() {
        WebDriver d = browser.driver();
        d.get(url(""));
        List<WebElement> cards = d.findElements(By.cssSelector(".demos a.card"));
        assertEquals(List.of("Clock", "Chat", "Transports", "Play stream", "Progress", "Channels", "jQuery.comet feed"),
                cards.stream().map(c -> c.findElement(By.tagName("h2")).getText()).toList());
        for (WebElement card : cards) {
            assertEquals(2, card.findElements(By.tagName("p")).size(), "two lines: what it shows, which seed");
            assertTrue(card.findElement(By.cssSelector("p.from")).getText().startsWith("From "));
        }
    }

    @Test
    void everyDemoPageLoadsWithoutConsoleErrorsAndFitsAPhone() {
        WebDriver d = browser.driver();
        d.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            for (String path : List.of("", "clock", "chat", "transports.html", "play.html", "progress.html", "channels.html",
                    "jquery-comet.html")) {
                d.get(url(path));
                assertEquals("width=device-width, initial-scale=1",
                        d.findElement(By.cssSelector("meta[name=viewport]")).getAttribute("content"), path);
                if (!path.isEmpty()) d.findElement(By.cssSelector("a.home")).isDisplayed();
                await(d, path + " is settled", x -> "complete".equals(js(x, "return document.readyState")));
                assertEquals(Boolean.FALSE, js(d, "return document.documentElement.scrollWidth > window.innerWidth"),
                        path + " scrolls sideways on a phone");
                List<LogEntry> errors = d.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertEquals(List.of(), errors, "console errors on " + path);
            }
        } finally {
            d.manage().window().setSize(new org.openqa.selenium.Dimension(1024, 768));
        }
    }
}
