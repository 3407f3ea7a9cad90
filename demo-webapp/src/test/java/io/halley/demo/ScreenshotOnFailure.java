package io.halley.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Saves a PNG of every open browser when a test fails, under {@code target/screenshots/}: the
 * first as {@code <Class>.<method>[-<parameters>].png}, the others {@code <Class>.<test>-2.png} and so on. Runs
 * right after the test method, before {@code @AfterEach} could close anything.
 */
final class ScreenshotOnFailure implements AfterTestExecutionCallback {

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) return;
        Path dir = Paths.get(System.getProperty("halley.screenshots", "target/screenshots"));
        String method = context.getRequiredTestMethod().getName();
        String display = context.getDisplayName();
        String name = context.getRequiredTestClass().getSimpleName() + "." + method
                + (display.startsWith(method) ? "" : "-" + display.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+|_+$", ""));
        List<WebDriver> drivers = Chromium.open();
        for (int i = 0; i < drivers.size(); i++) {
            Path file = dir.resolve(name + (i == 0 ? "" : "-" + (i + 1)) + ".png");
            try {
                Files.createDirectories(dir);
                Path shot = ((TakesScreenshot) drivers.get(i)).getScreenshotAs(OutputType.FILE).toPath();
                Files.move(shot, file, StandardCopyOption.REPLACE_EXISTING);
                System.err.println("screenshot of the failure: " + file.toAbsolutePath());
            } catch (IOException | RuntimeException e) {
                System.err.println("could not save " + file + ": " + e);
            }
        }
    }
}
