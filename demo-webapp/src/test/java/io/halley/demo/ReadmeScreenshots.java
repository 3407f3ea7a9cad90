package io.halley.demo;

import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Takes the README's pictures with headless Chromium against the running demo:
 * {@code docs/img/index.png} (the whole index, 1024 wide) and {@code docs/img/chat.png} (two users
 * chatting, their two browsers side by side, 1024×768). Off by default; run it with
 *
 * <pre>
 * mvn -pl demo-webapp test -Dtest=ReadmeScreenshots -Dhalley.docs=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "halley.docs", matches = "true")
class ReadmeScreenshots extends BrowserTest {
    private static final int WIDTH = 1024;
    private static final int HEIGHT = 768;

    @Test
    void takeTheReadmePictures() throws Exception {
        Path dir = Paths.get(System.getProperty("halley.docs.img", "../docs/img"));
        Files.createDirectories(dir);
        try (BrowserPage bob = Chromium.start(); BrowserPage alice = Chromium.start()) {
            WebDriver b = bob.driver();
            WebDriver a = alice.driver();

            viewport(b, WIDTH, HEIGHT);
            b.get(url(""));
            // the whole index, every demo on it: 1024 wide, as tall as the page
            viewport(b, WIDTH, ((Number) js(b, "return document.documentElement.scrollHeight")).intValue());
            ImageIO.write(shot(b), "png", dir.resolve("index.png").toFile());

            viewport(b, WIDTH / 2, HEIGHT);
            viewport(a, WIDTH / 2, HEIGHT);
            join(b, "Bob");
            join(a, "Alice");
            await(b, "Bob sees Alice join", x -> textContent(x, "#log").contains("Alice joined"));
            say(b, "Hi Alice! Did the build pass?");
            say(a, "Hi Bob, all green: 3 transports, 0 alerts.");
            say(b, "Then <b>ship it</b>!");
            await(a, "Alice sees Bob's last line", x -> textContent(x, "#log").contains("ship it"));
            js(a, "document.getElementById('text').value = 'On it.'");

            BufferedImage left = shot(a);
            BufferedImage right = shot(b);
            BufferedImage both = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = both.createGraphics();
            g.setColor(new Color(0xdd, 0xe3, 0xea));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.drawImage(left, 0, 0, null);
            g.drawImage(right, WIDTH / 2 + 1, 0, null);
            g.dispose();
            ImageIO.write(both, "png", dir.resolve("chat.png").toFile());
        }
    }

    /** Resizes the window so that the page's viewport is {@code width}×{@code height}. */
    private static void viewport(WebDriver d, int width, int height) {
        d.manage().window().setSize(new Dimension(width, height));
        long w = ((Number) js(d, "return window.innerWidth")).longValue();
        long h = ((Number) js(d, "return window.innerHeight")).longValue();
        d.manage().window().setSize(new Dimension(2 * width - (int) w, 2 * height - (int) h));
    }

    private static BufferedImage shot(WebDriver d) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES)));
    }

    private static void join(WebDriver d, String name) {
        d.get(url("chat"));
        js(d, "return chatDemo.join(arguments[0]).then(function () { return true; })", name);
        await(d, name + " joined", x -> textContent(x, "#log").contains("You joined as " + name));
    }

    private static void say(WebDriver d, String text) {
        js(d, "return chatDemo.say(arguments[0]).then(function () { return true; })", text);
    }
}
