package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import io.halley.testing.http2.Http2Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Halley's {@code /ws} over HTTP/2 (RFC 8441's extended CONNECT), with a client that speaks
 * HTTP/2 only ({@link Http2WebSocketClient}). On Jetty 12, which announces
 * {@code SETTINGS_ENABLE_CONNECT_PROTOCOL} on h2 and h2c: the socket opens on a stream of the
 * HTTP/2 connection (status 200, not 101), its frames arrive in order, it resumes after a cut
 * stream with no loss and no duplicate, and a call sent on it is answered. On Tomcat, which does
 * not implement extended CONNECT: the HTTP/2-only client cannot open it, while the WebSocket over
 * the same TLS port's HTTP/1.1 (what browsers then use) works.
 */
class WebSocketOverHttp2Test {
    private TestServer server;
    private Http2WebSocketClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(value = Http2Mode.class, names = {"H2C", "H2"})
    void onJettyTheSocketOpensOnAnHttp2StreamAndResumesAfterACut(Http2Mode mode) {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            java.util.Map<String, String> params = TestServer.fastParams();
            params.put("replayFrames", "5000");
            server = Container.start(Container.JETTY, mode, new CometServlet(), params);
            client = new Http2WebSocketClient();
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            int total = 1000;
            server.page(p.page()).comet(cm -> {
                for (int i = 1; i <= total; i++) {
                    cm.text("#n", "f" + i).flush();
                    if (i % 100 == 0) cm.sleep(Duration.ofMillis(5));
                }
            });
            io.halley.core.metrics.TransportMeters ws = server.halley().metrics().transport("ws");
            List<Long> seqs = new ArrayList<>();
            List<Integer> streams = new ArrayList<>();
            long last = 0;
            while (seqs.size() < total) {
                long writtenBefore = ws.framesWritten();
                Http2WebSocketClient.Socket s = client.open(b, p.page(), last);
                assertEquals(200, s.upgradeStatus(), "an extended CONNECT answered 200 (an HTTP/1.1 upgrade is 101)");
                streams.add(s.streamId());
                for (int n = 0; n < 200 && seqs.size() < total; n++) {
                    JsonObject f;
                    try {
                        f = s.nextFrame(Duration.ofSeconds(10));
                    } catch (AssertionError e) { // say what the server did meanwhile
                        throw new AssertionError("socket " + streams.size() + " after " + n + " frames on it (" + seqs.size()
                                + " in all): " + e.getMessage() + "; the server wrote " + (ws.framesWritten() - writtenBefore)
                                + " frames to it and holds " + ws.heldStreams() + " sockets", e);
                    }
                    assertNotNull(f, "the socket ended after " + seqs.size() + " frames (" + n + " on it): " + s.ending());
                    long seq = f.get("seq").getAsLong();
                    assertTrue(seq > last || Transport.isResync(f), "no frame twice: " + seq + " after " + last);
                    seqs.add(seq);
                    last = seq;
                }
                s.abort(); // a RST_STREAM of this stream: the connection stays
            }
            for (int i = 0; i < total; i++) assertEquals(i + 1, seqs.get(i), "no loss, no reordering");
            assertEquals(List.of(1, 3, 5, 7, 9), streams, "five sockets, each a new stream of the one HTTP/2 connection");
            Await.until("the cut sockets are given back", Duration.ofSeconds(15), () -> server.servlet().heldConnections() == 0);
        });
    }

    @ParameterizedTest
    @EnumSource(value = Http2Mode.class, names = {"H2C", "H2"})
    void onJettyACallOnTheHttp2SocketIsAnswered(Http2Mode mode) {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            server = Container.start(Container.JETTY, mode, new CometServlet(), TestServer.fastParams());
            server.halley().register("add", (r, args) -> args.get(0).getAsInt() + args.get(1).getAsInt());
            client = new Http2WebSocketClient();
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            Http2WebSocketClient.Socket s = client.open(b, p.page(), 0);
            assertEquals(200, s.upgradeStatus());
            s.send("{\"id\":\"q1\",\"op\":\"call\",\"name\":\"add\",\"token\":\"" + p.token()
                    + "\",\"body\":{\"args\":[2,3],\"call\":\"c1\"}}");
            JsonObject reply = s.nextReply();
            assertEquals("q1", reply.get("reply").getAsString());
            assertEquals(202, reply.get("status").getAsInt(), reply.toString());
            JsonObject done = null;
            while (done == null) {
                JsonObject f = s.nextFrame();
                assertNotNull(f, "the socket ended before the call's answer");
                for (JsonElement c : f.getAsJsonArray("cmds")) {
                    if ("done".equals(c.getAsJsonObject().get("op").getAsString())) done = c.getAsJsonObject();
                }
            }
            assertEquals("c1", done.get("call").getAsString());
            assertEquals(5, done.get("result").getAsInt());
            s.abort();
        });
    }

    /** A foreign Origin is refused over HTTP/2 as over HTTP/1.1, and the page's own https origin is accepted (above). */
    @Test
    void onJettyAForeignOriginIsRefusedOverHttp2() {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            server = Container.start(Container.JETTY, Http2Mode.H2, new CometServlet(), TestServer.fastParams());
            client = new Http2WebSocketClient();
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> client.open(b, p.page(), 0, "https://evil.example"));
            assertTrue(String.valueOf(refused.getCause()).contains("403"), String.valueOf(refused.getCause()));
            // the scheme counts: http://127.0.0.1:port is not this https server's origin
            ExecutionException wrongScheme = assertThrows(ExecutionException.class,
                    () -> client.open(b, p.page(), 0, "http://127.0.0.1:" + server.port()));
            assertTrue(String.valueOf(wrongScheme.getCause()).contains("403"), String.valueOf(wrongScheme.getCause()));
        });
    }

    /**
     * Tomcat ignores {@code SETTINGS_ENABLE_CONNECT_PROTOCOL} (its {@code ConnectionSettingsBase}:
     * "Not supported"): a client that speaks HTTP/2 only cannot open the socket, while the
     * WebSocket's HTTP/1.1 upgrade on the same TLS port (ALPN {@code http/1.1}; what a browser does
     * when the setting is absent) opens and delivers.
     */
    @Test
    void onTomcatTheSocketGoesOverHttp11BesideH2() {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            server = Container.start(Container.TOMCAT, Http2Mode.H2, new CometServlet(), TestServer.fastParams());
            client = new Http2WebSocketClient();
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            assertThrows(ExecutionException.class, () -> client.open(b, p.page(), 0), "no extended CONNECT on Tomcat");
            server.page(p.page()).writer().text("#a", "one").flush();
            try (FrameStream ws = Transport.WS.open(b, p.page(), 0)) {
                assertEquals(101, ws.status(), "the HTTP/1.1 upgrade over TLS");
                JsonObject f = ws.next();
                assertNotNull(f);
                assertEquals(1, f.get("seq").getAsLong());
            }
        });
    }
}
