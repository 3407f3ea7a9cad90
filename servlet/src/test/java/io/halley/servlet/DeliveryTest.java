package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.Page;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.RawHttp;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Frames reach the browser over each transport (SSE, iframe, poll, WebSocket), in order, without loss, as data. On Jetty 12. */
class DeliveryTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void cometFunctionFramesArriveInOrder(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            server.page(p.page()).comet(c -> {
                for (int i = 1; i <= 50; i++) {
                    c.update("#n", "v" + i);
                    c.flush();
                    if (i % 10 == 0) c.sleep(Duration.ofMillis(20));
                }
            });
            Transport.Received r = t.receive(b, p.page(), 0, 50, 0);
            for (int i = 0; i < 50; i++) {
                JsonObject f = r.frames.get(i);
                assertEquals(i + 1, f.get("seq").getAsLong());
                JsonObject cmd = f.getAsJsonArray("cmds").get(0).getAsJsonObject();
                assertEquals("update", cmd.get("op").getAsString());
                assertEquals("#n", cmd.get("selector").getAsString());
                assertEquals("v" + (i + 1), cmd.get("html").getAsString());
            }
            assertEquals(0, r.resyncs);
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void resumesAfterKilledConnectionsWithoutLossOrDuplicate(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("replayFrames", "20000");
            params.put("replayBytes", String.valueOf(8 << 20));
            params.put("iframeBudget", String.valueOf(16 * 1024));
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            int total = 10_000;
            server.page(p.page()).comet(c -> {
                for (int i = 1; i <= total; i++) {
                    c.text("#n", "frame " + i);
                    c.flush();
                    if (i % 200 == 0) c.sleep(Duration.ofMillis(2));
                }
            });
            Transport.Received r = t.receive(b, p.page(), 0, total, 500);
            assertEquals(total, r.frames.size());
            for (int i = 0; i < total; i++) {
                JsonObject f = r.frames.get(i);
                assertEquals(i + 1, f.get("seq").getAsLong(), "no loss, no reordering");
                assertEquals("frame " + (i + 1), f.getAsJsonArray("cmds").get(0).getAsJsonObject().get("text").getAsString());
            }
            assertEquals(0, r.resyncs, "no resync");
            assertEquals(0, r.ignored, "no frame was sent twice");
            assertTrue(r.kills >= 19, "killed every 500 frames: " + r.kills);
            if (t == Transport.IFRAME) assertTrue(r.rotations > 0, "iframe rotated past its budget");
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void secondTransportReplacesTheFirst(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            Page page = server.page(p.page());
            page.writer().text("#a", "one").flush();
            if (t == Transport.POLL) {
                // a held poll (nothing new after seq 1) is answered {"frames":[]} when replaced
                try (RawHttp first = RawHttp.get(FrameStream.uri(b, "/poll", p.page(), 1), b.cookieHeader(), Map.of(), false)) {
                    Await.until("first poll held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 1);
                    try (RawHttp second = RawHttp.get(FrameStream.uri(b, "/poll", p.page(), 1), b.cookieHeader(), Map.of(), false)) {
                        assertEquals(200, first.status());
                        assertEquals("{\"frames\":[]}", new String(first.body().readAllBytes(), StandardCharsets.UTF_8));
                        assertTrue(first.cleanEnd());
                        Await.until("only the second held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 1);
                        page.writer().text("#a", "two").flush();
                        String body = new String(second.body().readAllBytes(), StandardCharsets.UTF_8);
                        assertTrue(body.startsWith("{\"frames\":[{\"seq\":2,"), body);
                    }
                }
                return;
            }
            FrameStream first = t.open(b, p.page(), 0);
            assertEquals(1, first.next().get("seq").getAsLong());
            FrameStream second = t.open(b, p.page(), 1);
            assertNull(first.next(), "the first stream ends");
            assertTrue(first.cleanEnd(), "the first stream completed cleanly (last chunk sent)");
            assertFalse(first.rotated());
            page.writer().text("#a", "two").flush();
            JsonObject f = second.next();
            assertEquals(2, f.get("seq").getAsLong());
            Await.until("only the second held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 1);
            first.close();
            second.close();
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void hostileContentArrivesAsData(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            String evil = "</script><script>alert(1)</script> <!-- x \u2028 y \u2029 z & ' \" \n\r done";
            server.page(p.page()).writer().update("#x", evil).flush();
            FrameStream w = t.open(b, p.page(), 0, true);
            JsonObject f = w.next();
            assertNotNull(f);
            assertEquals(evil, f.getAsJsonArray("cmds").get(0).getAsJsonObject().get("html").getAsString(),
                    "the exact string comes back as data");
            String raw = new String(w.rawBytes(), StandardCharsets.UTF_8);
            assertFalse(raw.contains("</script><script>alert"), raw);
            assertFalse(raw.contains("<!--"), raw);
            assertFalse(raw.contains("\u2028") || raw.contains("\u2029"), "no raw line separators");
            if (t == Transport.SSE) assertFalse(raw.contains("\r"), "no raw CR in SSE");
            w.close();
        });
    }

    /** Poll answers are not held open, so they neither open at once nor beat; a WebSocket's beats are pings. */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "IFRAME", "WS"})
    void streamsOpenAtOnceAndBeat(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            CountDownLatch sent = new CountDownLatch(1);
            FrameStream w = t.open(b, p.page(), 0);
            assertEquals(t == Transport.WS ? 101 : 200, w.status());
            Thread.sleep(700); // about three heartbeats of 200 ms
            server.page(p.page()).writer().text("#a", "late").flush();
            sent.countDown();
            assertTrue(sent.await(1, TimeUnit.SECONDS));
            assertEquals(1, w.next().get("seq").getAsLong());
            assertTrue(w.heartbeats() >= 2, "heartbeats: " + w.heartbeats());
            if (w instanceof FrameStream.Iframe) {
                FrameStream.Iframe fr = (FrameStream.Iframe) w;
                assertTrue(fr.firstScriptAt() >= CometSettings.MIN_IFRAME_PADDING, "padding first: " + fr.firstScriptAt());
            }
            w.close();
        });
    }

    /**
     * Not WS: a WebSocket has no HTTP response body for a proxy or a cache to keep or buffer (its
     * 101 answer switches the connection to WebSocket frames, which proxies pass through once they
     * forward the upgrade), so Cache-Control and X-Accel-Buffering do not apply to it.
     */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "IFRAME", "POLL"})
    void streamsCarryProxyFriendlyHeaders(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            server.page(p.page()).writer().text("#a", "x").flush();
            try (RawHttp r = RawHttp.get(FrameStream.uri(b, t.path(), p.page(), 0), b.cookieHeader(), Map.of(), false)) {
                assertEquals(200, r.status());
                assertEquals("no-cache, no-store", r.headers().get("cache-control"));
                assertEquals(null, r.headers().get("pragma"), "HTTP/1.0's Pragma is not sent: Cache-Control says it");
                assertEquals("no", r.headers().get("x-accel-buffering"));
                String type = r.headers().get("content-type").replace(" ", "").toLowerCase();
                String expected = Map.of(Transport.SSE, "text/event-stream;charset=utf-8", Transport.IFRAME,
                        "text/html;charset=utf-8", Transport.POLL, "application/json;charset=utf-8").get(t);
                assertEquals(expected, type);
            }
        });
    }

    @org.junit.jupiter.api.Test
    void sseResumesFromLastEventIdOverSince() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            for (int i = 1; i <= 4; i++) server.page(p.page()).writer().text("#a", "f" + i).flush();
            FrameStream w = new FrameStream.Sse(b, p.page(), 0, Map.of("Last-Event-ID", "2"), false);
            assertEquals(3, w.next().get("seq").getAsLong());
            assertEquals(4, w.next().get("seq").getAsLong());
            w.close();
        });
    }
}
