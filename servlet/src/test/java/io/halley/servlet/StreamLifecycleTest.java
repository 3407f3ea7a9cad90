package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.RawHttp;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Held requests are bounded, noticed when their client dies, and ended on shutdown. */
class StreamLifecycleTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    /** Not poll: a poll is not held once answered. WS: the aborted socket's close is noticed by the container. */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "IFRAME", "WS"})
    void aKilledClientIsNoticedByTheHeartbeatAndReleased(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            server.page(p.page()).writer().text("#a", "1").flush();
            FrameStream w = t.open(b, p.page(), 0);
            w.next();
            assertEquals(1, server.servlet().heldConnections());
            w.kill();
            Await.until("the dead stream is released", Duration.ofSeconds(3), () -> server.servlet().heldConnections() == 0);
        });
    }

    @Test
    void pastMaxHeldConnectionsNewStreamsGet503() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("maxHeldConnections", "2");
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            FrameStream w1 = Transport.SSE.open(b, b.openPage().page(), 0);
            FrameStream w2 = Transport.IFRAME.open(b, b.openPage().page(), 0);
            assertEquals(200, w1.status());
            assertEquals(200, w2.status());
            HttpBrowser.Resp r = b.get("/sse?page=" + b.openPage().page());
            r.assertError(503);
            assertEquals("5", r.header("Retry-After"));
            w1.close();
            w2.close();
        });
    }

    /**
     * A stream waiting for a slot at the limit when the servlet stops is answered at once by the
     * servlet (503, "the server is stopping", Retry-After), not left to the container.
     */
    @Test
    void aStreamWaitingForASlotWhenTheServletStopsGets503AtOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("maxHeldConnections", "1");
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            FrameStream held = Transport.SSE.open(b, b.openPage().page(), 0);
            assertEquals(200, held.status());
            java.util.concurrent.CompletableFuture<HttpBrowser.Resp> answer = null;
            for (int attempt = 0; attempt < 5 && (answer == null || answer.isDone()); attempt++) {
                String waiting = b.openPage().page(); // a request waits for about 0.5 s before its 503
                answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return b.get("/sse?page=" + waiting);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                java.util.concurrent.CompletableFuture<HttpBrowser.Resp> a = answer;
                Await.until("the stream waits for a slot", Duration.ofSeconds(5),
                        () -> server.servlet().waitingForSlot() == 1 || a.isDone());
            }
            assertEquals(1, server.servlet().waitingForSlot(), "a stream was waiting");
            server.undeploy(); // the servlet stops; the connector stays, so the answer can be read
            HttpBrowser.Resp r = answer.get(5, java.util.concurrent.TimeUnit.SECONDS);
            r.assertError(503);
            assertTrue(r.body().contains("the server is stopping"), r.body());
            assertEquals("5", r.header("Retry-After"));
            held.close();
        });
    }

    @Test
    void anActionsReplyArrivesOnThePagesStream() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            server.halley().action("sum", params -> {
                int s = 0;
                for (JsonElement e : params.getAsJsonArray()) s += e.getAsInt();
                return s;
            });
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            FrameStream w = Transport.SSE.open(b, p.page(), 0);
            HttpBrowser.Resp r = b.post("/action/sum", "{\"page\":\"" + p.page() + "\",\"params\":[1,2,39],\"request\":\"r-1\"}",
                    "Origin", b.origin(), "X-Halley-Token", p.token());
            assertEquals(202, r.status(), r.body());
            assertEquals("r-1", r.json().get("request").getAsString());
            JsonArray cmds = w.next().getAsJsonArray("cmds");
            JsonObject reply = cmds.get(0).getAsJsonObject();
            assertEquals("reply", reply.get("op").getAsString());
            assertEquals("r-1", reply.get("request").getAsString());
            assertEquals(42, reply.get("result").getAsInt());
            w.close();
        });
    }

    @Test
    void pollIsAnsweredUnchunkedWithItsLengthAndEmptyAtItsTimeout() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("pollTimeout", "PT0.5S"); // the deadline sweep ticks every 20 ms
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            for (int i = 0; i < 3; i++) { // each poll is timed on its own deadline, not on a shared clock
                long start = System.nanoTime();
                try (RawHttp poll = RawHttp.get(FrameStream.uri(b, "/poll", p.page(), 0), b.cookieHeader(), Map.of(), false)) {
                    assertEquals(200, poll.status());
                    assertEquals("13", poll.headers().get("content-length"), "an answer of declared length: " + poll.headers());
                    assertNull(poll.headers().get("transfer-encoding"), "not chunked");
                    assertEquals("{\"frames\":[]}", new String(poll.body().readAllBytes(), StandardCharsets.UTF_8));
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertTrue(ms >= 480 && ms < 3000, "poll " + i + " answered after " + ms + " ms, pollTimeout 500 ms");
                }
                Await.until("the poll's slot is free", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 0);
            }
            assertTrue(server.page(p.page()).isAlive(), "the page lives across its polls");
            server.page(p.page()).writer().text("#a", "one").flush();
            try (RawHttp poll = RawHttp.get(FrameStream.uri(b, "/poll", p.page(), 0), b.cookieHeader(), Map.of(), false)) {
                String body = new String(poll.body().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(body.startsWith("{\"frames\":[{\"seq\":1,"), body);
                assertEquals(String.valueOf(body.getBytes(StandardCharsets.UTF_8).length), poll.headers().get("content-length"));
                assertTrue(poll.cleanEnd(), "the answer ends at its declared length");
            }
        });
    }

    @Test
    void stoppingTheServerEndsHeldStreamsAndClosesTheRuntime() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p1 = b.openPage();
            HttpBrowser.PageRef p2 = b.openPage();
            FrameStream sse = Transport.SSE.open(b, p1.page(), 0);
            try (RawHttp poll = RawHttp.get(FrameStream.uri(b, "/poll", p2.page(), 0), b.cookieHeader(), Map.of(), false)) {
                Await.until("both held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 2);
                TestServer s = server;
                server = null;
                s.stopAndCheck();
                assertNull(sse.next(), "the SSE stream ended");
                assertEquals(200, poll.status());
                // Jetty may end the exchange itself while stopping, before the servlet's empty answer
                String body = new String(poll.body().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(body.isEmpty() || body.equals("{\"frames\":[]}"), body);
            }
            sse.close();
        });
    }
}
