package io.halley.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.remote.CapabilityType;

/**
 * Headless Chromium sessions for the browser tests: the Debian {@code chromium} and
 * {@code chromium-driver} at fixed paths (set explicitly, so Selenium Manager never downloads
 * anything), a fresh profile per session (its own cookie jar), alerts left open so that a test can
 * see them, and the browser console kept for inspection.
 *
 * <p>When either binary is missing the test is skipped with a loud message, or fails when the
 * environment variable {@code CI} is {@code true}. Every open driver is listed in {@link #open()}
 * for the screenshot-on-failure extension; {@link Session#close()} quits it and deletes its profile.
 */
final class Chromium {
    static final Path BINARY = Paths.get("/usr/bin/chromium");
    static final Path DRIVER = Paths.get("/usr/bin/chromedriver");
    /** The bound of every wait in the browser tests unless a test says otherwise. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private static final List<Session> OPEN = new CopyOnWriteArrayList<>();

    private Chromium() {
    }

    /** One browser: its driver and its profile folder. */
    record Session(WebDriver driver, Path profile) implements AutoCloseable {
        @Override
        public void close() {
            OPEN.remove(this);
            try {
                driver.quit();
            } finally {
                deleteQuietly(profile);
            }
        }
    }

    /** The drivers open now, oldest first. */
    static List<WebDriver> open() {
        return OPEN.stream().map(Session::driver).toList();
    }

    /** Starts a headless Chromium with a new profile, or skips (fails on CI) when it is not installed. */
    static Session start() throws IOException {
        requireInstalled();
        Path profile = Files.createTempDirectory("halley-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1024,768",
                "--user-data-dir=" + profile);
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE); // an XSS alert must stay visible to the test
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setCapability(CapabilityType.PAGE_LOAD_STRATEGY, "normal");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteQuietly(profile);
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
        Session s = new Session(driver, profile);
        OPEN.add(s);
        return s;
    }

    /** Skips the calling test (or fails it on CI) when Chromium or its driver is missing. */
    static void requireInstalled() {
        if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) return;
        String message = "Chromium browser tests need " + BINARY + " and " + DRIVER
                + " (Debian packages chromium and chromium-driver)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message + ": missing on CI");
        System.err.println("!!!!!!!! SKIPPED: " + message + " !!!!!!!!");
        Assumptions.abort(message);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temp folder left behind is not worth failing a test for
        }
    }
}
