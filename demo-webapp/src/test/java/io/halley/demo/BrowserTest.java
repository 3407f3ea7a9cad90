package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import io.halley.testing.LeakCheck;
import io.halley.testing.Ports;
import io.halley.testing.ScreenshotOnFailure;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;

/**
 * The base of the browser tests: the demo on an embedded Jetty (through {@link EmbeddedServer},
 * the wiring {@link Main} uses) on 127.0.0.1 and a port chosen here, so that a test can stop and
 * restart the connector on the same port; a page lease of 4 s and a heartbeat of 1 s, so that the
 * server notices a vanished browser within a second and its page dies 4 s later; announcements
 * every 2 s.
 * After the class the server stops and nothing may be left: no page, no Halley or demo thread.
 * A failing test leaves PNGs of its browsers under {@code target/screenshots/}.
 */
@ExtendWith(ScreenshotOnFailure.class)
abstract class BrowserTest {
    static final Duration LEASE = Duration.ofSeconds(4);
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** The channels demo's announcements come this often in the tests (10 s in the demo). */
    static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(2);

    static EmbeddedServer server;

    @BeforeAll
    static void startServer() throws Exception {
        Chromium.requireInstalled();
        server = EmbeddedServer.start(new EmbeddedServer.Options("127.0.0.1", Ports.free(), LEASE, HEARTBEAT)
                .announceEvery(ANNOUNCE_EVERY));
    }

    @AfterAll
    static void stopServerAndCheckNothingLeaked() {
        EmbeddedServer s = server;
        server = null;
        stopAndCheckNothingLeaked(s);
    }

    /** Stops {@code s} (null: nothing to do) and asserts it left no page and no Halley or demo thread. */
    static void stopAndCheckNothingLeaked(EmbeddedServer s) {
        if (s == null) return;
        Halley halley = s.halley();
        s.close();
        assertEquals(0, halley.pageCount(), "pages left after the server stopped");
        LeakCheck.awaitNoThreads("demo-");
    }

    /** {@code http://127.0.0.1:port/path}. */
    static String url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + "/").resolve(path).toString();
    }

    static Object js(WebDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeScript(script, args);
    }

    static String text(WebDriver d, String css) {
        return d.findElement(By.cssSelector(css)).getText();
    }

    /** The {@code textContent} of {@code css}: what is there, visible or not, without layout. */
    static String textContent(WebDriver d, String css) {
        return (String) js(d, "var e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    /** Waits (at most {@link Chromium#WAIT}) until {@code condition} is true or non-null. */
    static <T> T await(WebDriver d, String what, Function<WebDriver, T> condition) {
        return await(d, what, Chromium.WAIT, condition);
    }

    static <T> T await(WebDriver d, String what, Duration max, Function<WebDriver, T> condition) {
        return BrowserPage.awaitIn(d, what, max, condition);
    }

    /** The live page {@code id} on the server. */
    static Page page(String id) {
        return server.halley().pages().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no live page " + id));
    }

    /** Replaces {@code window.alert} by a recorder ({@code window.__alerts}); a real dialog is an XSS. */
    static void recordAlerts(WebDriver d) {
        js(d, "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };");
    }

    @SuppressWarnings("unchecked")
    static List<String> recordedAlerts(WebDriver d) {
        return (List<String>) js(d, "return window.__alerts || [];");
    }

    /** Asserts that no alert dialog is open in {@code d}. */
    static void assertNoAlertDialog(WebDriver d) {
        try {
            String text = d.switchTo().alert().getText();
            throw new AssertionError("an alert dialog is open: " + text);
        } catch (NoAlertPresentException expected) {
            // what we want
        }
    }

}
