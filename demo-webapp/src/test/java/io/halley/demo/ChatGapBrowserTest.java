package io.halley.demo;

import io.halley.testing.Await;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import io.halley.testing.Ports;
import io.halley.testing.RedisServer;
import io.halley.testing.ScreenshotOnFailure;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The chat demo on two servers sharing a real {@code redis-server}, one Chromium on each: when
 * Redis is killed and started again empty, both chats show the gap line (the demo's rendering of
 * {@code PoolMessage.Gap}: lines from other servers may have been lost), and lines said afterwards
 * cross servers again.
 */
@Timeout(120)
@ExtendWith(ScreenshotOnFailure.class)
class ChatGapBrowserTest {
    private static final String GAP_LINE = "Some messages from other servers may have been lost.";

    @Test
    void bothChatsShowTheGapLineWhenRedisLosesItsDataAndTheChatGoesOn() throws Exception {
        Chromium.requireInstalled();
        try (RedisServer redis = RedisServer.launch()) {
            EmbeddedServer n1 = EmbeddedServer.start(new EmbeddedServer.Options("127.0.0.1", Ports.free(),
                    Duration.ofSeconds(20), Duration.ofSeconds(2)).cluster(redis.uri(), "n1"));
            EmbeddedServer n2 = null;
            BrowserPage alice = null;
            BrowserPage bob = null;
            try {
                n2 = EmbeddedServer.start(new EmbeddedServer.Options("127.0.0.1", Ports.free(),
                        Duration.ofSeconds(20), Duration.ofSeconds(2)).cluster(redis.uri(), "n2"));
                alice = Chromium.start();
                bob = Chromium.start();
                WebDriver a = alice.driver();
                WebDriver b = bob.driver();
                join(a, n1, "Alice");
                join(b, n2, "Bob");
                say(a, "before the crash");
                await(b, "Bob on n2 sees Alice's line from n1", Duration.ofSeconds(15), x -> logHas(x, "Alice before the crash"));

                redis.kill();
                Await.pause(1000);
                redis.start();
                await(a, "Alice's chat shows the gap line", Duration.ofSeconds(40), x -> logHas(x, GAP_LINE));
                await(b, "Bob's chat shows the gap line", Duration.ofSeconds(40), x -> logHas(x, GAP_LINE));
                say(a, "after the crash");
                await(b, "Bob sees Alice's line said after the crash", Duration.ofSeconds(20), x -> logHas(x, "Alice after the crash"));
            } finally {
                if (alice != null) alice.close();
                if (bob != null) bob.close();
                if (n2 != null) n2.close();
                n1.close();
            }
        }
    }

    private static void join(WebDriver d, EmbeddedServer server, String name) {
        d.get("http://127.0.0.1:" + server.port() + "/chat");
        WebElement field = await(d, "the join form", Duration.ofSeconds(15), x -> x.findElement(By.id("name")));
        field.sendKeys(name);
        d.findElement(By.cssSelector("#join button")).click();
        await(d, name + " joined", Duration.ofSeconds(15), x -> logHas(x, "You joined as " + name + "."));
    }

    private static void say(WebDriver d, String text) {
        ((JavascriptExecutor) d).executeScript("return chatDemo.say(arguments[0]).then(function () { return true; })", text);
    }

    /** Whether a line of the log ends with {@code line} (each starts with its time). */
    private static boolean logHas(WebDriver d, String line) {
        Object n = ((JavascriptExecutor) d).executeScript("var end = ' ' + arguments[0]; return Array.from(document.querySelectorAll('#log li'))"
                + ".filter(function (li) { return li.textContent.endsWith(end); }).length;", line);
        return ((Number) n).longValue() > 0;
    }

    private static <T> T await(WebDriver d, String what, Duration timeout, Function<WebDriver, T> condition) {
        return BrowserPage.awaitIn(d, what, timeout, condition);
    }
}
