package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import io.halley.testing.http2.Http2Mode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP transports (SSE, iframe, poll) of the real {@link CometServlet} over HTTP/2, on each
 * container ({@link Container#tested()}: Jetty 12 and Tomcat here, Tomcat 11 and Jetty ee11 in
 * their runs) and each HTTP/2 mode: h2c (the JDK client's {@code Upgrade: h2c}) and h2 over TLS
 * with ALPN (the kit's self-signed certificate). Every response read is asserted to be HTTP/2.
 * The WebSocket over HTTP/2 is {@code WebSocketOverHttp2Test}.
 */
class Http2TransportsTest {
    private static final List<Transport> HTTP_TRANSPORTS = List.of(Transport.SSE, Transport.IFRAME, Transport.POLL);
    private TestServer server;

    static List<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Container c : Container.tested()) {
            for (Http2Mode m : List.of(Http2Mode.H2C, Http2Mode.H2)) {
                for (Transport t : HTTP_TRANSPORTS) out.add(Arguments.of(c, m, t));
            }
        }
        return out;
    }

    static List<Arguments> servers() {
        List<Arguments> out = new ArrayList<>();
        for (Container c : Container.tested()) for (Http2Mode m : List.of(Http2Mode.H2C, Http2Mode.H2)) out.add(Arguments.of(c, m));
        return out;
    }

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void framesArriveInOrderOverHttp2(Container c, Http2Mode mode, Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            HttpBrowser b = browser(c, mode, TestServer.fastParams());
            HttpBrowser.PageRef p = b.openPage();
            int total = 300;
            server.page(p.page()).comet(cm -> {
                for (int i = 1; i <= total; i++) {
                    cm.text("#n", "f" + i).flush();
                    if (i % 50 == 0) cm.sleep(Duration.ofMillis(10));
                }
            });
            try (FrameStream first = t.open(b, p.page(), 0)) {
                JsonObject f = first.next();
                assertNotNull(f, "a frame");
                assertEquals(1, f.get("seq").getAsLong());
                assertEquals(HttpClient.Version.HTTP_2, first.version(), "the stream was an HTTP/2 response");
            }
            Transport.Received r = t.receive(b, p.page(), 1, total - 1, 0);
            List<Long> seqs = r.seqs();
            for (int i = 0; i < total - 1; i++) assertEquals(i + 2, seqs.get(i), "in order, none lost");
            assertEquals(0, r.resyncs);
            assertEquals(0, r.ignored, "none twice");
        });
    }

    /** A cut HTTP/2 stream is a RST_STREAM of that stream only: the page resumes on a new stream of the same connection. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void resumesAfterCutStreamsWithoutLossOrDuplicate(Container c, Http2Mode mode, Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("replayFrames", "5000");
            params.put("iframeBudget", "16384");
            HttpBrowser b = browser(c, mode, params);
            HttpBrowser.PageRef p = b.openPage();
            int total = 2000;
            server.page(p.page()).comet(cm -> {
                for (int i = 1; i <= total; i++) {
                    cm.text("#n", "f" + i).flush();
                    if (i % 100 == 0) cm.sleep(Duration.ofMillis(2));
                }
            });
            Transport.Received r = t.receive(b, p.page(), 0, total, 250);
            List<Long> seqs = r.seqs();
            for (int i = 0; i < total; i++) assertEquals(i + 1, seqs.get(i), "no loss, no reordering");
            for (int i = 0; i < total; i++) {
                assertEquals("f" + (i + 1), r.frames.get(i).getAsJsonArray("cmds").get(0).getAsJsonObject().get("text").getAsString());
            }
            assertEquals(0, r.resyncs, "no resync");
            assertEquals(0, r.ignored, "no frame twice");
            assertTrue(r.kills >= 5, "cut every 250 frames: " + r.kills);
            Await.until("the cut streams are given back", Duration.ofSeconds(15), () -> server.servlet().heldConnections() == 0);
        });
    }

    /** A call and a publish sent over the HTTP/2 connection answer, and their frames come on the page's HTTP/2 stream. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void aCallAndAPublishAnswerOverHttp2(Container c, Http2Mode mode, Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            HttpBrowser b = browser(c, mode, TestServer.fastParams());
            server.halley().register("twice", (reply, args) -> 2 * args.get(0).getAsInt());
            HttpBrowser.PageRef p = b.openPage();
            HttpBrowser.Resp sub = b.pagePost(p, "/subscribe", "\"channel\":\"chat.room\"");
            assertEquals(200, sub.status(), sub.body());
            HttpBrowser.Resp call = b.pagePost(p, "/call/twice", "\"args\":[21],\"call\":\"c1\"");
            assertEquals(202, call.status(), call.body());
            assertEquals(HttpClient.Version.HTTP_2, call.raw().version(), "the call went over HTTP/2");
            HttpBrowser.Resp pub = b.pagePost(p, "/publish", "\"channel\":\"chat.room\",\"data\":\"hi\"");
            assertEquals(202, pub.status(), pub.body());
            assertEquals(HttpClient.Version.HTTP_2, pub.raw().version(), "the publish went over HTTP/2");
            boolean done = false;
            boolean message = false;
            try (FrameStream s = t.open(b, p.page(), 0)) {
                while (!(done && message)) {
                    JsonObject f = s.next();
                    if (f == null) break;
                    for (JsonElement e : f.getAsJsonArray("cmds")) {
                        JsonObject cmd = e.getAsJsonObject();
                        String op = cmd.get("op").getAsString();
                        if (op.equals("done") && "c1".equals(cmd.get("call").getAsString())) {
                            assertEquals(42, cmd.get("result").getAsInt(), cmd.toString());
                            done = true;
                        } else if (cmd.has("channel") && "chat.room".equals(cmd.get("channel").getAsString())) {
                            assertEquals("hi", cmd.get("data").getAsString(), cmd.toString());
                            message = true;
                        }
                    }
                }
                assertEquals(HttpClient.Version.HTTP_2, s.version());
            }
            assertTrue(done, "the call's answer arrived");
            assertTrue(message, "the published message arrived");
        });
    }

    /**
     * The connection budget ({@code maxStreamsPerBrowser}, 4) counts nothing over HTTP/2, over TLS
     * too: six SSE streams of one browser, all on one connection, are all held.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("servers")
    void everyStreamOfOneBrowserIsHeldOverHttp2(Container c, Http2Mode mode) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("pageLease", "PT30S");
            HttpBrowser b = browser(c, mode, params);
            List<FrameStream> held = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    HttpBrowser.PageRef p = b.openPage();
                    server.page(p.page()).writer().text("#i", "page " + i).flush();
                    FrameStream s = Transport.SSE.open(b, p.page(), 0);
                    held.add(s);
                    assertEquals(200, s.status());
                    assertEquals(HttpClient.Version.HTTP_2, s.version());
                    JsonObject f = s.next();
                    assertNotNull(f, "stream " + (i + 1) + " is held with its page's frame, not advised to poll");
                    assertEquals("page " + i, f.getAsJsonArray("cmds").get(0).getAsJsonObject().get("text").getAsString());
                }
                Await.until("six streams of one browser held", Duration.ofSeconds(10), () -> server.servlet().heldConnections() == 6);
            } finally {
                for (FrameStream s : held) s.close();
            }
        });
    }

    /** The server of {@code c} speaking {@code mode} with a runtime letting pages publish to {@code chat.*}, and its browser, on HTTP/2. */
    private HttpBrowser browser(Container c, Http2Mode mode, Map<String, String> params) throws Exception {
        CometServlet servlet = new CometServlet() {
            @Override
            protected void configure(Halley.Builder h) {
                h.channelPolicy(ChannelPolicy.defaults().allowPublish(ch -> ch.startsWith("chat.")));
            }
        };
        server = Container.start(c, mode, servlet, params);
        HttpBrowser b = new HttpBrowser(server);
        // A request without a body first: over h2c the JDK client upgrades the connection with it. A small
        // answer (GET /page without a page: 400 JSON), not halley.js (67 KB): Tomcat stalls the answer to
        // the upgrading request past 65,535 bytes (docs/containers.md, "HTTP/2")
        HttpBrowser.Resp first = b.get("/page");
        assertEquals(400, first.status(), first.body());
        assertEquals(HttpClient.Version.HTTP_2, first.raw().version(), c + " " + mode + " speaks HTTP/2");
        return b;
    }
}
