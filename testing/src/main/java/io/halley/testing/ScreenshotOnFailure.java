package io.halley.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension ({@code @ExtendWith(ScreenshotOnFailure.class)}) that saves a PNG of every
 * open {@link BrowserPage} when a test fails, under {@code target/screenshots/} (system property
 * {@code halley.screenshots}): the first as {@code <Class>.<method>[-<parameters>].png}, the
 * others {@code -2}, {@code -3}... Runs right after the test method, before {@code @AfterEach}
 * could close anything; a screenshot that fails is reported on stderr, never fails the test.
 */
public final class ScreenshotOnFailure implements AfterTestExecutionCallback {

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) return;
        Path dir = Paths.get(System.getProperty("halley.screenshots", "target/screenshots"));
        String method = context.getRequiredTestMethod().getName();
        String display = context.getDisplayName();
        String name = context.getRequiredTestClass().getSimpleName() + "." + method
                + (display.startsWith(method) ? "" : "-" + display.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+|_+$", ""));
        List<BrowserPage> pages = Chromium.open();
        for (int i = 0; i < pages.size(); i++) {
            Path file = dir.resolve(name + (i == 0 ? "" : "-" + (i + 1)) + ".png");
            try {
                pages.get(i).screenshot(file);
                System.err.println("screenshot of the failure: " + file.toAbsolutePath());
            } catch (IOException | RuntimeException e) {
                System.err.println("could not save " + file + ": " + e);
            }
        }
    }
}
