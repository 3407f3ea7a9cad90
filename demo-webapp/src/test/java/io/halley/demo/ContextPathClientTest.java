package io.halley.demo;

import io.halley.servlet.CometServlet;
import io.halley.servlet.HalleySessionListener;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import io.halley.testing.ScreenshotOnFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code CometServlet} under the context path {@code /shop} and plain static pages of the same
 * context calling {@code Halley.connect()} with no {@code base}, in headless Chromium: the client
 * takes its base from the URL it was loaded from, opens its page and receives channel messages,
 * whether the page loads it by a relative or an absolute URL, from any folder.
 */
@ExtendWith(ScreenshotOnFailure.class)
class ContextPathClientTest {
    private static final String PAGE = "<!doctype html><meta charset=utf-8><title>shop</title>"
            + "<script src=\"%s\"></script>"
            + "<script>window.got = []; const conn = Halley.connect();"
            + "conn.subscribe('news', function (d) { got.push(d); }).then(function () { window.subscribed = true; });"
            + "</script>";

    private Server server;
    private CometServlet comet;
    private Path docs;
    private BrowserPage browser;

    @BeforeEach
    void start() throws Exception {
        Chromium.requireInstalled();
        docs = Files.createTempDirectory("halley-shop");
        Files.writeString(docs.resolve("index.html"), String.format(PAGE, "halley/halley.js"));
        Files.createDirectories(docs.resolve("deep/er"));
        Files.writeString(docs.resolve("deep/er/page.html"), String.format(PAGE, "/shop/halley/halley.js"));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.SESSIONS);
        ctx.setContextPath("/shop");
        ctx.setBaseResource(ResourceFactory.of(ctx).newResource(docs));
        comet = new CometServlet();
        ServletHolder holder = new ServletHolder("halley", comet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        holder.setInitParameter("heartbeat", "1");
        ctx.addServlet(holder, "/halley/*");
        ctx.addServlet(new ServletHolder("default", DefaultServlet.class), "/");
        ctx.addEventListener(new HalleySessionListener());
        server.setHandler(ctx);
        server.start();
        browser = Chromium.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (browser != null) browser.close();
        } finally {
            server.stop();
            try (Stream<Path> files = Files.walk(docs)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path;
    }

    private void connectsWithoutABaseAndReceives(String path) {
        WebDriver d = browser.driver();
        d.get(url(path));
        JavascriptExecutor js = (JavascriptExecutor) d;
        new WebDriverWait(d, Chromium.WAIT).withMessage("subscribed from " + path)
                .until(x -> Boolean.TRUE.equals(js.executeScript("return window.subscribed === true")));
        assertEquals("/shop/halley", js.executeScript("return conn.base"), "the base from the script's URL");
        new WebDriverWait(d, Chromium.WAIT).pollingEvery(Duration.ofMillis(200)).withMessage("a message on " + path)
                .until(x -> {
                    comet.halley().publish("news", "hello " + path);
                    return ((Number) js.executeScript("return got.length")).intValue() > 0;
                });
        assertEquals("hello " + path, js.executeScript("return got[0]"));
    }

    @Test
    void aStaticPageUnderAContextPathConnectsWithNoBase() {
        connectsWithoutABaseAndReceives("/shop/index.html");
    }

    @Test
    void aPageInASubfolderLoadingTheScriptByItsAbsolutePathConnectsWithNoBase() {
        connectsWithoutABaseAndReceives("/shop/deep/er/page.html");
    }
}
