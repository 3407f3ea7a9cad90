package io.halley.demo;

import io.halley.testing.proxy.Nginx;
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
 * plain {@code proxy_pass} the browser's Fetch Metadata ({@code Sec-Fetch-Site: same-origin}) lets
 * the page through although nginx forwarded the upstream address as {@code Host}.
 */
class BehindNginxBrowserTest extends OneBrowserTest {
    private static Nginx nginx;
    private static Nginx plain;

    @BeforeAll
    static void startNginx() throws Exception {
        nginx = Nginx.proxyTo(server.port(), List.of(
                "proxy_set_header X-Forwarded-Host $host;",
                "proxy_set_header X-Forwarded-Port $server_port;",
                "proxy_set_header X-Forwarded-Proto $scheme;",
                "proxy_set_header Forwarded \"\";"));
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

    /**
     * Behind the plain {@code proxy_pass} nginx forwards the upstream address as {@code Host}, so
     * the {@code Origin} comparison alone would refuse the page (the HTTP-client test
     * {@code BehindNginxTest} pins that refusal and its message); Chromium's
     * {@code Sec-Fetch-Site: same-origin} says the page and the URL share an origin, and that is
     * enough: the page opens, its stream delivers and its call answers.
     */
    @Test
    void behindThePlainProxyPassTheBrowsersFetchMetadataIsEnough() {
        WebDriver d = browser.driver();
        d.get(plain.origin() + "/progress.html");
        await(d, "connected behind the plain proxy_pass", x -> Boolean.TRUE.equals(js(x, "return progressDemo.conn.connected")));
        d.findElement(By.id("steps")).clear();
        d.findElement(By.id("steps")).sendKeys("2");
        d.findElement(By.id("run")).click();
        await(d, "the result behind the plain proxy_pass", x -> textContent(x, "#result").startsWith("Result:"));
        assertTrue(textContent(d, "#result").contains("in 2 steps"), textContent(d, "#result"));
    }
}
