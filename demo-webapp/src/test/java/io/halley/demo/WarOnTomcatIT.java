package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import io.halley.testing.ScreenshotOnFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebDriver;

/**
 * {@code target/halley-demo.war} deployed as it is in another Servlet 6 container, Tomcat 10.1,
 * under the context path {@code /halley-demo}: the container finds {@code DemoApp} by its
 * annotation and {@code CometServlet} by the servlet jar's web-fragment, and the demos work in
 * a real browser (relative URLs, context-aware bootstrap).
 */
@ExtendWith(ScreenshotOnFailure.class)
class WarOnTomcatIT {
    private static final String CONTEXT = "/halley-demo";
    private static Tomcat tomcat;
    private static Path baseDir;

    @BeforeAll
    static void deploy() throws Exception {
        Path war = Paths.get(System.getProperty("halley.war", "target/halley-demo.war"));
        assertTrue(Files.isRegularFile(war), "built by mvn package: " + war);
        baseDir = Files.createTempDirectory("halley-tomcat-");
        Files.createDirectories(baseDir.resolve("webapps"));
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        // the container's defaults without JSP (not on this classpath): static files, welcome file, MIME types
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context ctx = tomcat.addWebapp(CONTEXT, war.toAbsolutePath().toString());
        Tomcat.addServlet(ctx, "default", "org.apache.catalina.servlets.DefaultServlet").setLoadOnStartup(1);
        ctx.addServletMappingDecoded("/", "default", false);
        ctx.addWelcomeFile("index.html");
        Tomcat.addDefaultMimeTypeMappings(ctx);
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false); // the WAR's own WEB-INF/lib only, not this test's classpath
        ctx.setJarScanner(scanner);
        // the embedded demo's Jetty WebSocket server is on this test's class path: its SCI is no Tomcat's
        ((org.apache.catalina.core.StandardContext) ctx).setContainerSciFilter("org\\.eclipse\\.jetty\\..*");
        tomcat.start();
        assertTrue(ctx.getState().isAvailable(), "the WAR started: " + ctx.getState());
    }

    @AfterAll
    static void undeploy() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
        if (baseDir != null) {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + CONTEXT + "/" + path;
    }

    @Test
    void theWarServesTheIndexTheClientAndContextAwarePages() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertTrue(get(http, "").body().contains("Halley demos"));
        assertTrue(get(http, "halley/halley.js").body().contains("Halley"));
        String clock = get(http, "clock").body();
        assertTrue(clock.contains("\"base\":\"" + CONTEXT + "/halley\""), clock);
        HttpResponse<String> war = get(http, "WEB-INF/web.xml", 404);
        assertFalse(war.body().contains("<web-app"));
    }

    @Test
    void theDemosWorkInABrowser() throws IOException {
        try (BrowserPage browser = Chromium.start()) {
            WebDriver d = browser.driver();
            d.get(url("clock"));
            BrowserTest.await(d, "the clock shows a time", x -> BrowserTest.textContent(x, "#clock").matches("\\d\\d:\\d\\d:\\d\\d"));
            String first = BrowserTest.textContent(d, "#clock");
            BrowserTest.await(d, "the clock ticks", Duration.ofSeconds(3), x -> !BrowserTest.textContent(x, "#clock").equals(first));

            d.get(url("transports.html?transport=poll"));
            BrowserTest.await(d, "the feed arrives by long-poll", x -> BrowserTest.textContent(x, "#feed").contains("via poll"));

            d.get(url("play.html"));
            BrowserTest.await(d, "the Play stream calls back", Duration.ofSeconds(5),
                    x -> Integer.parseInt(BrowserTest.textContent(x, "#count")) >= 1);

            d.get(url("progress.html"));
            BrowserTest.js(d, "return progressDemo.run(3).then(function () { return true; })");
            assertTrue(BrowserTest.textContent(d, "#result").startsWith("Result: 25,997 primes below 300,000"),
                    BrowserTest.textContent(d, "#result"));

            d.get(url("channels.html"));
            BrowserTest.await(d, "the room", x -> "room.lobby".equals(BrowserTest.textContent(x, "#channel")));
            assertEquals(Boolean.TRUE, BrowserTest.js(d, "return channelsDemo.publish('on Tomcat')"));
            BrowserTest.await(d, "the message", x -> BrowserTest.textContent(x, "#messages").endsWith("on Tomcat"));
            BrowserTest.js(d, "return channelsDemo.request('demo.echo', {text: 'hi'}).then(function () { return true; })");
            assertTrue(BrowserTest.textContent(d, "#reply").startsWith("demo.echo \u2192 \u201chi\u201d"), BrowserTest.textContent(d, "#reply"));

            d.get(url("jquery-comet.html"));
            BrowserTest.await(d, "jQuery.comet gets ticks under the context path",
                    x -> ((Number) BrowserTest.js(x, "return jqDemo.received.length")).intValue() >= 2);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return get(http, path, 200);
    }

    private static HttpResponse<String> get(HttpClient http, String path, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), path);
        return r;
    }
}
