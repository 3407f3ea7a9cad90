package io.halley.demo;

import io.halley.testing.Nginx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo behind a real nginx with the {@code X-Forwarded-*} configuration of
 * {@code docs/deployment.md}, in headless Chromium: the transports page receives its feed over
 * each transport through the proxy, and the progress page's streamed call answers. Behind the
 * plain {@code proxy_pass} the client's {@code error} event carries the refusal naming the origin
 * the browser used and the one the server expected.
 */
class BehindNginxBrowserTest extends OneBrowserTest {
    private static Nginx nginx;
    private static Nginx plain;

    @BeforeAll
    static void startNginx() throws Exception {
        nginx = Nginx.proxyTo(server.port(), List.of(
                "proxy_set_header X-Forwarded-Host $host;",
                "proxy_set_header X-Forwarded-Port $server_port;",
                "proxy_set_header X-Forwarded-Proto $scheme;"));
        plain = Nginx.proxyTo(server.port(), List.of());
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) nginx.close();
        if (plain != null) plain.close();
        nginx = plain = null;
    }

    private static String proxied(String path) {
        return nginx.origin() + "/" + path;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "iframe", "poll"})
    void theFeedArrivesThroughNginxOverEachTransport(String transport) {
        WebDriver d = browser.driver();
        d.get(proxied("transports.html?transport=" + transport));
        await(d, "the page says " + transport, x -> textContent(x, "#transport").equals(transport));
        await(d, "two feed messages through nginx over " + transport, Duration.ofSeconds(8),
                x -> ((Number) js(x, "var end = ' via ' + arguments[0]; return Array.from(document.querySelectorAll('#feed li'))"
                        + ".filter(function (li) { return li.textContent.endsWith(end); }).length", transport)).intValue() >= 2);
        assertEquals(transport, js(d, "return transportsDemo.conn.transport"));
    }

    @Test
    void aStreamedCallAnswersThroughNginx() {
        WebDriver d = browser.driver();
        d.get(proxied("progress.html"));
        await(d, "connected", x -> Boolean.TRUE.equals(js(x, "return progressDemo.conn.connected")));
        d.findElement(By.id("steps")).clear();
        d.findElement(By.id("steps")).sendKeys("2");
        d.findElement(By.id("run")).click();
        await(d, "the result through nginx", x -> textContent(x, "#result").startsWith("Result:"));
        assertTrue(textContent(d, "#result").contains("in 2 steps"), textContent(d, "#result"));
    }

    @Test
    void behindThePlainProxyPassTheClientIsToldBothOrigins() {
        WebDriver d = browser.driver();
        d.get(plain.origin() + "/progress.html");
        js(d, "window.refusals = []; window.probe = Halley.connect({ base: Demo.base() });"
                + "probe.on('error', function (e) { refusals.push(e.status + ' ' + e.message); });");
        String refusal = await(d, "the refusal", x -> (String) js(x, "return refusals[0] || null"));
        assertTrue(refusal.startsWith("403 origin not allowed: the request came from " + plain.origin()), refusal);
        assertTrue(refusal.contains("this server is http://127.0.0.1:" + server.port()), refusal);
    }
}
