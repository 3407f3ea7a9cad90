package io.halley.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.remote.CapabilityType;

/**
 * Launches headless Chromium through Selenium: the Debian {@code chromium} and
 * {@code chromium-driver} at fixed paths, set explicitly so that Selenium Manager never downloads
 * anything; a fresh profile per browser (its own cookie jar); alerts left open so that a test can
 * see them; the browser console kept.
 *
 * <pre>{@code
 * try (BrowserPage page = Chromium.start()) {
 *     page.get(server.root() + "/index.html");
 *     page.await("the clock ticks", d -> !page.text("#clock").isEmpty());
 * }
 * }</pre>
 *
 * <p>When either binary is missing the test is skipped with a loud message, or fails when the
 * environment variable {@code CI} is {@code true}. Thread-safe; {@link #start()} blocks until the
 * browser is up.
 */
public final class Chromium {
    public static final Path BINARY = Paths.get("/usr/bin/chromium");
    public static final Path DRIVER = Paths.get("/usr/bin/chromedriver");
    /** The bound of {@link BrowserPage#await(String, java.util.function.Function)}. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private static final List<BrowserPage> OPEN = new CopyOnWriteArrayList<>();

    private Chromium() {
    }

    /** Skips the calling test (or fails it when {@code CI=true}) when Chromium or its driver is missing. */
    public static void requireInstalled() {
        if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) return;
        ExternalPrograms.missing("Chromium browser tests need " + BINARY + " and " + DRIVER
                + " (Debian packages chromium and chromium-driver)");
    }

    /** Starts a headless Chromium with a new profile (1024×768), or skips / fails as {@link #requireInstalled()}. */
    public static BrowserPage start() throws IOException {
        return start(List.of());
    }

    /**
     * {@link #start()} for a test server with a self-signed certificate: the browser runs with
     * {@code --ignore-certificate-errors}, so it accepts any certificate (never point it elsewhere).
     */
    public static BrowserPage startIgnoringCertificateErrors() throws IOException {
        return start(List.of("--ignore-certificate-errors"));
    }

    private static BrowserPage start(List<String> moreArguments) throws IOException {
        requireInstalled();
        Path profile = Files.createTempDirectory("halley-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1024,768",
                "--user-data-dir=" + profile);
        options.addArguments(moreArguments);
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE); // an XSS alert must stay visible to the test
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setCapability(CapabilityType.PAGE_LOAD_STRATEGY, "normal");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            ExternalPrograms.deleteQuietly(profile);
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
        BrowserPage page = new BrowserPage(driver, profile, OPEN::remove);
        OPEN.add(page);
        return page;
    }

    /** The browsers open now (started and not closed), oldest first. */
    public static List<BrowserPage> open() {
        return List.copyOf(OPEN);
    }
}
