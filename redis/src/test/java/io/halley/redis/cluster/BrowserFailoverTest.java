package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.PageListener;
import io.halley.core.comet.CometOptions;
import io.halley.core.command.Command;
import io.halley.redis.RedisSettings;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import io.halley.testing.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Jii's balancing with halley.js itself in headless Chromium: a page served by a third origin (a
 * static page server) connects with {@code servers: [A, B]}, which picks one at random, and
 * subscribes to a channel; a third Halley node (no servlet) publishes a message every 50 ms; the
 * node the client picked is stopped mid-stream. The client fails over to the other node, opens a
 * new page there (its reconnect actions run), subscribes again from the last id it saw, and in the
 * end has received every message exactly once, in order, with the ids of the shared history.
 * Everything is cross-origin with credentials: POST /page, /subscribe (preflighted), the SSE
 * stream ({@code withCredentials}), the probe; the browser's {@code HALLEY_BROWSER} cookie
 * ({@code SameSite=Lax}), set by the first node's cross-origin answer, is sent to both nodes
 * because all three origins are the same site (127.0.0.1), and both accept it (no session).
 */
@Timeout(120)
class BrowserFailoverTest extends WebClusterSupport {
    private static final int MESSAGES = 100;

    /** Each page runs a function that names its node and leaves a reconnect action (Nitrogen's). */
    private static PageListener nameTheNode(String node) {
        return new PageListener() {
            @Override
            public void opened(Page page) {
                page.comet(c -> {
                    c.text("#node", node).flush();
                    while (c.isAlive()) c.receive(Duration.ofSeconds(1));
                }, CometOptions.builder().reconnectActions(new Command.Text("#reconnected", "after " + node)).build());
            }
        };
    }

    static String html(List<String> servers) {
        String list = servers.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
        return String.join("\n",
                "<!doctype html><html><head><meta charset=utf-8><title>fail-over</title></head><body>",
                "<p id=node></p><p id=reconnected></p>",
                "<script src=\"/halley.js\"></script>",
                "<script>",
                "  window.__got = []; window.__events = [];",
                "  var conn = window.conn = Halley.connect({ servers: [" + list + "],",
                "    backoff: { initial: 100, max: 1000 }, noticeDelay: 500 });",
                "  conn.on('open', function () { __events.push('open ' + conn.server + ' ' + conn.transport); });",
                "  conn.on('reconnect', function () { __events.push('reconnect ' + conn.server + ' ' + conn.transport); });",
                "  conn.on('failover', function (e) { __events.push('failover ' + e.from + ' -> ' + e.to); });",
                "  conn.on('gone', function (e) { __events.push('gone ' + e.page); });",
                "  conn.on('error', function (e) { __events.push('error ' + e.message); });",
                "  conn.subscribe('feed', function (d, m) { __got.push(m.id + ':' + d.n); }).then(",
                "    function (r) { window.__subscribed = r; },",
                "    function (e) { __events.push('subscribe failed ' + e.message); });",
                "</script></body></html>");
    }

    @Test
    void theClientFailsOverWhenItsNodeDiesAndGetsEveryMessageOnceInOrder() throws Exception {
        Chromium.requireInstalled();
        RedisSettings s = redisSettings().build();
        int pagePort = Ports.free();
        String pageOrigin = WebNode.origin(pagePort);
        Map<String, WebNode> nodes = webNodes(List.of("a", "b"), n -> {
            Halley h = runtime(n, s, true);
            h.addPageListener(nameTheNode(n));
            return h;
        }, pageOrigin);
        Halley publisher = runtime("p", s, true);
        List<String> servers = List.of(nodes.get("a").base(), nodes.get("b").base());
        closeLater(PageServer.start(pagePort, Map.of("/", html(servers))));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger published = new AtomicInteger();
        Thread feed = new Thread(() -> {
            for (int n = 0; n < MESSAGES && !stop.get(); n++) {
                publisher.publish("feed", Map.of("n", n));
                published.incrementAndGet();
                sleep(50);
            }
        }, "test-feed");
        try (BrowserPage chromium = Chromium.start()) {
            JavascriptExecutor js = (JavascriptExecutor) chromium.driver();
            Supplier<String> state = () -> "events " + js.executeScript("return window.__events") + ", got "
                    + js.executeScript("return window.__got") + "\nconsole:\n" + chromium.console();
            chromium.driver().get(pageOrigin + "/");
            awaitJs(js, "the page is subscribed and its stream open", "return !!window.__subscribed && conn.connected", state);
            String first = (String) js.executeScript("return conn.server");
            assertTrue(servers.contains(first), "conn.server is one of the servers: " + first);
            assertEquals("sse", js.executeScript("return conn.transport"), "SSE, withCredentials; no iframe cross-origin");
            WebNode picked = nodes.get(first.equals(servers.get(0)) ? "a" : "b");
            WebNode other = nodes.get(picked == nodes.get("a") ? "b" : "a");
            awaitJs(js, "the page names its node", "return document.getElementById('node').textContent === '" + picked.name + "'", state);

            feed.start();
            awaitJs(js, "20 messages through " + picked, "return __got.length >= 20", state);
            int atStop = published.get();
            picked.close(); // the node dies: Jetty stops (its streams end), its runtime closes
            assertTrue(published.get() < MESSAGES - 20, "stopped mid-stream, after " + atStop + " publishes");

            awaitJs(js, "the client failed over to " + other, "return conn.server === '" + other.base() + "' && conn.connected", state);
            feed.join(MESSAGES * 50 + 10_000);
            assertEquals(MESSAGES, published.get(), "all published");
            awaitJs(js, "all " + MESSAGES + " messages", Duration.ofSeconds(20), "return __got.length >= " + MESSAGES, state);
            sleep(300); // nothing more (no duplicate) on its way

            List<String> expected = new ArrayList<>();
            for (ChannelMessage m : publisher.history("feed", 0)) {
                expected.add(m.id() + ":" + m.data().getAsJsonObject().get("n").getAsInt());
            }
            assertEquals(MESSAGES, expected.size(), "the shared history holds every message");
            @SuppressWarnings("unchecked")
            List<String> got = (List<String>) js.executeScript("return __got");
            assertEquals(expected, got, "every message exactly once, in order, same ids; " + state.get());

            @SuppressWarnings("unchecked")
            List<String> events = (List<String>) js.executeScript("return __events");
            assertTrue(events.contains("failover " + picked.base() + " -> " + other.base()), "fail-over event: " + events);
            assertTrue(events.stream().noneMatch(e -> e.startsWith("error") || e.startsWith("subscribe failed")), "no error: " + events);
            assertEquals(other.name, js.executeScript("return document.getElementById('node').textContent"), "a new page on " + other);
            assertEquals("after " + picked.name, js.executeScript("return document.getElementById('reconnected').textContent"),
                    "the reconnect action left by the dead node's function ran");
            assertEquals(1, other.halley.pageCount(), "one page on the surviving node");
            String page = (String) js.executeScript("return conn.page");
            assertNotNull(other.halley.pages().stream().filter(p -> p.id().equals(page)).findFirst().orElse(null));

            // one HALLEY_BROWSER cookie in the browser's jar for 127.0.0.1 (cookies ignore ports), set by
            // a cross-origin response to a credentialed request and accepted by both nodes; no session,
            // no SameSite=None needed
            chromium.driver().get(other.origin() + "/halley/halley.d.ts"); // any URL of that host
            Set<Cookie> cookies = chromium.driver().manage().getCookies();
            Set<String> names = cookies.stream().map(Cookie::getName).collect(Collectors.toSet());
            assertEquals(Set.of("HALLEY_BROWSER"), names, "cookies " + cookies);
            for (Cookie c : cookies) {
                assertEquals("Lax", c.getSameSite(), "the browser cookie is SameSite=Lax: " + c);
                assertTrue(c.isHttpOnly(), "HttpOnly: " + c);
                assertTrue(!c.isSecure(), "plain http cookie: " + c);
            }
            System.err.println("fail-over test: picked " + picked.name + ", stopped after " + atStop + " publishes; events "
                    + events + "; cookies " + cookies);
        } finally {
            stop.set(true);
            feed.join(10_000);
        }
    }

    private static void awaitJs(JavascriptExecutor js, String what, String script, Supplier<String> state) {
        awaitJs(js, what, Duration.ofSeconds(10), script, state);
    }

    private static void awaitJs(JavascriptExecutor js, String what, Duration max, String script, Supplier<String> state) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!Boolean.TRUE.equals(js.executeScript(script))) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + max + " waiting for " + what + "; " + state.get());
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
