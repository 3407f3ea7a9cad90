package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;

/**
 * The tabs of one Chromium on the transports page, for the many-tab tests: opens them, records in
 * each what its page applies ({@code __seqs}: every frame's sequence number; {@code __feed}: the
 * feed's message numbers; {@code __probe}/{@code __room}: when each probe frame and each
 * {@code room.tabs} message arrived, by the tab's clock), and checks that every tab receives its
 * page's frames and channel messages within a bound and that its calls, requests and publishes
 * answer. Every wait is bounded.
 */
final class Tabs {
    private final WebDriver d;
    private final URI base;
    private final String path;
    final List<String> handles = new ArrayList<>();

    /** Tabs of {@code d} loading {@code path} (e.g. {@code transports.html?transport=sse&share=true}) of {@link BrowserTest}'s server. */
    Tabs(WebDriver d, String path) {
        this(d, URI.create(BrowserTest.url("/")), path);
    }

    /** Tabs of {@code d} loading {@code path} relative to {@code base} (e.g. {@code https://127.0.0.1:8443/}). */
    Tabs(WebDriver d, URI base, String path) {
        this.d = d;
        this.base = base;
        this.path = path;
    }

    /** Opens tabs (one at a time: the first page open issues the browser's cookie) until there are {@code n}. */
    void openUpTo(int n) {
        while (handles.size() < n) {
            if (!handles.isEmpty()) d.switchTo().newWindow(WindowType.TAB);
            d.get(base.resolve(path).toString());
            handles.add(d.getWindowHandle());
            int i = handles.size();
            BrowserTest.await(d, "tab " + i + " receives the feed",
                    x -> ((Number) BrowserTest.js(x, "return document.querySelectorAll('#feed li').length")).longValue() > 0);
            BrowserTest.js(d, "window.__seqs = []; window.__feed = []; window.__probe = {}; window.__room = {};"
                    + "var c = transportsDemo.conn;"
                    + "c.on('frame', function (f) { __seqs.push(f.seq); (f.cmds || []).forEach(function (m) {"
                    + "  if (m.op === 'text' && m.selector === '#probe') __probe[m.text] = Date.now(); }); });"
                    + "c.onChannel('feed', function (m) { __feed.push(m.n); });");
            Object r = ((JavascriptExecutor) d).executeAsyncScript("var done = arguments[arguments.length - 1];"
                    + "transportsDemo.conn.subscribe('room.tabs', function (m) { __room[m.key] = Date.now(); })"
                    + ".then(function () { done('ok'); }, function (e) { done(String(e)); });");
            assertEquals("ok", r, "tab " + i + " subscribes to room.tabs");
        }
    }

    /** Closes tab {@code i} (by index) and leaves the driver on the first remaining tab. */
    void close(int i) {
        d.switchTo().window(handles.get(i));
        d.close();
        handles.remove(i);
        d.switchTo().window(handles.get(0));
    }

    Object js(int tab, String script, Object... args) {
        d.switchTo().window(handles.get(tab));
        return BrowserTest.js(d, script, args);
    }

    /** The index of the tab whose page leads the shared stream; fails unless exactly one does. */
    int leader() {
        int leader = -1;
        for (int i = 0; i < handles.size(); i++) {
            if ("leader".equals(js(i, "return transportsDemo.conn.sharedRole()"))) {
                assertEquals(-1, leader, "one leader");
                leader = i;
            }
        }
        assertTrue(leader >= 0, "a tab leads");
        return leader;
    }

    /**
     * Pushes one frame to every tab's page from the server and publishes one message on
     * {@code room.tabs}, then asserts that each tab applied both within {@code within} of the
     * push (by the tab's clock, the machine's).
     */
    void everyTabReceivesWithin(Halley halley, String key, Duration within) throws InterruptedException {
        List<String> pages = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) pages.add((String) js(i, "return transportsDemo.conn.page"));
        long t0 = System.currentTimeMillis();
        for (String id : pages) {
            Page p = halley.pages().stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no page " + id + " on the server"));
            p.writer().text("#probe", key).flush();
        }
        JsonObject m = new JsonObject();
        m.addProperty("key", key);
        halley.publish("room.tabs", m);
        long deadline = System.nanoTime() + within.toNanos() + Duration.ofSeconds(5).toNanos();
        for (int i = 0; i < handles.size(); i++) {
            Number frame = null;
            Number message = null;
            while (System.nanoTime() < deadline && (frame == null || message == null)) {
                frame = (Number) js(i, "return window.__probe[arguments[0]] || null", key);
                message = (Number) js(i, "return window.__room[arguments[0]] || null", key);
                if (frame == null || message == null) Thread.sleep(100);
            }
            assertTrue(frame != null, "tab " + (i + 1) + " got its page's frame " + key);
            assertTrue(message != null, "tab " + (i + 1) + " got the channel message " + key);
            long f = frame.longValue() - t0;
            long c = message.longValue() - t0;
            assertTrue(f < within.toMillis(), "tab " + (i + 1) + ": its page's frame after " + f + " ms");
            assertTrue(c < within.toMillis(), "tab " + (i + 1) + ": the channel message after " + c + " ms");
        }
    }

    /** Every tab calls a callback, requests an action and publishes; each answers (10 s at most per tab). */
    @SuppressWarnings("unchecked")
    void everyTabsCallsAnswer(String key) {
        for (int i = 0; i < handles.size(); i++) {
            d.switchTo().window(handles.get(i));
            Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) d).executeAsyncScript(
                    "var done = arguments[arguments.length - 1], c = transportsDemo.conn, t0 = Date.now();"
                    + "Promise.all([c.call('progress.run', 1), c.request('demo.echo', { text: arguments[0] }),"
                    + "  c.publish('room.tabs', { key: arguments[0] + '-' + arguments[1] })])"
                    + ".then(function (v) { done({ primes: v[0].primes, echo: v[1].text, published: v[2].published,"
                    + "  ms: Date.now() - t0, transport: c.transport }); }, function (e) { done({ error: String(e) }); });",
                    key, i);
            assertEquals(null, r.get("error"), "tab " + (i + 1) + ": " + r);
            assertEquals(9592L, ((Number) r.get("primes")).longValue(), "tab " + (i + 1) + "'s call: " + r);
            assertEquals(key, r.get("echo"), "tab " + (i + 1) + "'s action: " + r);
            assertEquals(Boolean.TRUE, r.get("published"), "tab " + (i + 1) + "'s publish: " + r);
        }
        int n = handles.size();
        for (int i = 0; i < n; i++) {
            d.switchTo().window(handles.get(i));
            BrowserTest.await(d, "tab " + (i + 1) + " got every tab's publish", x -> {
                for (int k = 0; k < n; k++) {
                    if (BrowserTest.js(x, "return window.__room[arguments[0]] || null", key + "-" + k) == null) return false;
                }
                return true;
            });
        }
    }

    /** Every tab's frames and feed messages so far are consecutive: nothing lost, nothing applied twice. */
    @SuppressWarnings("unchecked")
    void assertNothingLostOrRepeated(String when) {
        for (int i = 0; i < handles.size(); i++) {
            for (String array : List.of("__seqs", "__feed")) {
                List<Number> seen = (List<Number>) js(i, "return window." + array);
                assertTrue(seen.size() >= 2, when + ", tab " + (i + 1) + " " + array + ": " + seen);
                for (int k = 1; k < seen.size(); k++) {
                    assertEquals(seen.get(k - 1).longValue() + 1, seen.get(k).longValue(),
                            when + ", tab " + (i + 1) + " " + array + ": " + seen);
                }
            }
        }
    }

    /** Waits until every tab's feed has grown by {@code more} messages (15 s at most each). */
    void everyTabKeepsReceiving(String when, int more) {
        for (int i = 0; i < handles.size(); i++) {
            long before = ((Number) js(i, "return window.__feed.length")).longValue();
            BrowserTest.await(d, "tab " + (i + 1) + " keeps receiving " + when, Duration.ofSeconds(15),
                    x -> ((Number) BrowserTest.js(x, "return window.__feed.length")).longValue() >= before + more);
        }
    }
}
