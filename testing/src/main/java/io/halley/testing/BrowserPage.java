package io.halley.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium started by {@link Chromium#start()}: its Selenium {@link #driver()}, and
 * the few things Halley's browser tests do with it (load a URL, run a script, read an element,
 * wait for a condition, read the console). {@link #close()} quits the browser and deletes its
 * profile. Like a {@link WebDriver}, use it from one thread at a time.
 */
public final class BrowserPage implements AutoCloseable {
    private final WebDriver driver;
    private final Path profile;
    private final Consumer<BrowserPage> onClose;

    BrowserPage(WebDriver driver, Path profile, Consumer<BrowserPage> onClose) {
        this.driver = driver;
        this.profile = profile;
        this.onClose = onClose;
    }

    /** The Selenium driver, for anything this class does not wrap. */
    public WebDriver driver() {
        return driver;
    }

    /** Loads {@code url} and blocks until the page has loaded (20 s at most). */
    public BrowserPage get(String url) {
        driver.get(url);
        return this;
    }

    /** Runs {@code script} in the page ({@code arguments[i]} are {@code args}) and returns its value. */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The visible text of the first element matching {@code css}; fails when there is none. */
    public String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** The {@code textContent} of {@code css}, visible or not; null when no element matches. */
    public String textContent(String css) {
        return (String) js("var e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    /** Waits (at most {@link Chromium#WAIT}) until {@code condition} is true or non-null; returns its value. */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        return await(what, Chromium.WAIT, condition);
    }

    /** Waits at most {@code max}, polling every 50 ms; a timeout fails with {@code what}. */
    public <T> T await(String what, Duration max, Function<WebDriver, T> condition) {
        return awaitIn(driver, what, max, condition);
    }

    /** {@link #await(String, Duration, Function)} for a bare driver. */
    public static <T> T awaitIn(WebDriver d, String what, Duration max, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(d, max, Duration.ofMillis(50));
        wait.withMessage(what);
        return wait.until(condition::apply);
    }

    /** The browser console so far, one line per entry (for failure messages); never fails. */
    public String console() {
        StringBuilder b = new StringBuilder();
        try {
            driver.manage().logs().get(LogType.BROWSER)
                    .forEach(e -> b.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n'));
        } catch (RuntimeException e) {
            b.append("(no console: ").append(e).append(')');
        }
        return b.toString();
    }

    /** Saves a PNG of the page as {@code file} (folders created). */
    public void screenshot(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.move(shot, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Quits the browser and deletes its profile. */
    @Override
    public void close() {
        onClose.accept(this);
        try {
            driver.quit();
        } finally {
            ExternalPrograms.deleteQuietly(profile);
        }
    }
}
