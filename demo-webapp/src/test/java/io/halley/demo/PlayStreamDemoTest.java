package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** Play's Comet helper: the forever-iframe calls the parent's callback once a second. */
class PlayStreamDemoTest extends OneBrowserTest {
    @Test
    void theStreamCallsTheParentsCallbackEverySecond() {
        WebDriver d = browser.driver();
        d.get(url("play.html"));
        await(d, "the first messages", Duration.ofSeconds(5), x -> count(x) >= 2);
        String newest = textContent(d, "#messages li:first-child");
        assertTrue(newest.matches("tick \\d+ at \\d\\d:\\d\\d:\\d\\d"), newest);
        int n = count(d);
        await(d, "one more a second later", Duration.ofSeconds(3), x -> count(x) > n);
    }

    @Test
    void restartingOpensAFreshStreamAndTheOldOneEnds() throws InterruptedException {
        WebDriver d = browser.driver();
        d.get(url("play.html"));
        await(d, "messages", Duration.ofSeconds(5), x -> count(x) >= 1);
        d.findElement(By.id("restart")).click();
        await(d, "the fresh stream starts at tick 1", Duration.ofSeconds(5),
                x -> count(x) >= 1 && textContent(x, "#messages li:last-child").startsWith("tick 1 at"));
        d.get("about:blank");
        Await.until("the streams whose client went away end", Duration.ofSeconds(5), () -> openStreams() == 0);
    }

    private static int count(WebDriver d) {
        return Integer.parseInt(textContent(d, "#count"));
    }

    private static int openStreams() {
        return server.app().openPlayStreams();
    }
}
