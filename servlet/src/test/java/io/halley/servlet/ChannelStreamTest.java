package io.halley.servlet;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.servlet.internal.play.ChannelSubscription;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.RawHttp;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /comet/<channel>}: a Play-style stream of a channel, read by raw-socket clients. */
class ChannelStreamTest {
    private static final Pattern CHUNK = Pattern.compile("<script( nonce=\"[^\"]*\")?>app\\.onTick\\((.*?)\\);</script>\n");

    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
        Await.until("channel listeners removed", Duration.ofSeconds(5), () -> ChannelSubscription.activeListeners() == 0);
    }

    /** One stream read slowly: its messages as parsed JSON, in order. */
    static final class Reader implements AutoCloseable {
        final RawHttp http;
        final StringBuilder text = new StringBuilder();
        final List<JsonObject> messages = new ArrayList<>();
        String firstTag;
        private int parsed;

        Reader(TestServer server, String channel, long since) throws IOException {
            http = RawHttp.get(URI.create(server.base() + "/comet/" + channel + "?callback=app.onTick"
                    + (since < 0 ? "" : "&since=" + since)), null, Map.of(), false);
        }

        /** Reads until the stream ends (or {@code max} messages), sleeping to be slow when asked. */
        void readAll(int max, boolean slow) throws IOException, InterruptedException {
            InputStream in = http.body();
            byte[] buf = new byte[8192];
            int reads = 0;
            int n;
            while (messages.size() < max && (n = in.read(buf)) >= 0) {
                text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                parse();
                if (slow && ++reads % 4 == 0) Thread.sleep(1);
            }
        }

        private void parse() {
            Matcher m = CHUNK.matcher(text);
            while (m.find(parsed)) {
                if (firstTag == null) firstTag = m.group(0).substring(0, m.group(0).indexOf('>') + 1);
                String json = new String(m.group(2).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                messages.add(JsonParser.parseString(json).getAsJsonObject());
                parsed = m.end();
            }
        }

        @Override
        public void close() {
            http.close();
        }
    }

    static String payload(int i) {
        return i + ":" + "x".repeat(8000);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aThousandMessagesReachASlowReaderInOrderResumingAfterOverflow(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("channelStreamBuffer", "32");
            params.put("channelHistory", "2000");
            server = Container.start(container, params);
            int total = 1000;
            List<JsonObject> got = new ArrayList<>();
            int reconnects = 0;
            Reader r = new Reader(server, "ticks", 0);
            assertEquals(200, r.http.status());
            Await.until("listening", Duration.ofSeconds(5), () -> ChannelSubscription.activeListeners() == 1);
            for (int i = 1; i <= total; i++) server.halley().publish("ticks", payload(i)); // never waits for the reader
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (true) {
                r.readAll(total - got.size(), true);
                got.addAll(r.messages);
                r.close();
                if (got.size() >= total || System.nanoTime() > deadline) break;
                assertTrue(r.http.cleanEnd(), "an overflowing stream ends cleanly");
                reconnects++;
                long last = got.get(got.size() - 1).get("id").getAsLong();
                r = new Reader(server, "ticks", last);
            }
            assertEquals(total, got.size());
            for (int i = 0; i < total; i++) {
                assertEquals(i + 1, got.get(i).get("id").getAsLong(), "no gap, no duplicate, in order");
                assertEquals("ticks", got.get(i).get("channel").getAsString());
                assertEquals(payload(i + 1), got.get(i).get("data").getAsString());
            }
            assertTrue(reconnects >= 1, "the 32-message buffer overflowed at least once");
            Await.until("stream released", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 0);
        });
    }

    /**
     * A {@code since} past the channel's newest id (a node restarted with an in-memory history, or
     * a made-up id) gets a {@code channelrestart} element first, then the new numbering's messages
     * from its start, then the live ones: never a silent stream. A {@code since} within the
     * numbering gets no such element.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void aSinceFromAnEarlierNumberingGetsARestartEventThenEveryMessage(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = Container.start(container, TestServer.fastParams());
            for (int i = 1; i <= 3; i++) server.halley().publish("news", "kept " + i);
            try (Reader r = new Reader(server, "news", 30)) {
                assertEquals(200, r.http.status());
                Await.until("listening", Duration.ofSeconds(5), () -> ChannelSubscription.activeListeners() == 1);
                server.halley().publish("news", "live 4");
                r.readAll(5, false);
                JsonObject restart = r.messages.get(0);
                assertEquals("channelrestart", restart.get("event").getAsString(), r.messages.toString());
                assertEquals("news", restart.get("channel").getAsString());
                assertEquals(30, restart.get("since").getAsLong());
                assertEquals(3, restart.get("last").getAsLong());
                assertFalse(restart.has("id") || restart.has("data"), "an event, not a message: " + restart);
                List<Long> ids = r.messages.subList(1, 5).stream().map(m -> m.get("id").getAsLong()).toList();
                assertEquals(List.of(1L, 2L, 3L, 4L), ids, "the new numbering from its start, then live");
            }
            try (Reader normal = new Reader(server, "news", 2)) {
                normal.readAll(2, false);
                assertEquals(List.of(3L, 4L), normal.messages.stream().map(m -> m.get("id").getAsLong()).toList());
                assertTrue(normal.messages.stream().noneMatch(m -> m.has("event")), normal.messages.toString());
            }
            try (Reader huge = new Reader(server, "news", Long.MAX_VALUE)) {
                huge.readAll(5, false);
                assertEquals("channelrestart", huge.messages.get(0).get("event").getAsString());
                assertEquals(Long.MAX_VALUE, huge.messages.get(0).get("since").getAsLong());
                assertEquals(4, huge.messages.size() - 1, huge.messages.toString());
            }
        });
    }

    @Test
    void theStreamOpensWithTheBlankBufferCarriesTheNonceAndEscapes() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, new CometServlet() {
                @Override
                protected void configure(CometSettings.Builder b) {
                    b.cspNonce(req -> "n0nce");
                }
            }, TestServer.fastParams(), Map.of());
            String evil = "</script><script>alert(1)</script><!-- \u2028";
            server.halley().publish("news", "one");
            server.halley().publish("news", evil);
            try (Reader r = new Reader(server, "news", 0)) {
                assertEquals("text/html;charset=utf-8", r.http.headers().get("content-type").replace(" ", "").toLowerCase());
                r.readAll(2, false);
                assertTrue(r.text.toString().startsWith(" ".repeat(5120) + "<html><body>"), "initial blank buffer");
                assertEquals("<script nonce=\"n0nce\">", r.firstTag);
                assertEquals("one", r.messages.get(0).get("data").getAsString());
                assertEquals(evil, r.messages.get(1).get("data").getAsString());
                assertFalse(r.text.toString().contains("</script><script>alert"), "no break-out");
                server.halley().publish("news", "live");
                r.readAll(3, false);
                assertEquals(3, r.messages.get(2).get("id").getAsLong());
            }
            try (Reader r = new Reader(server, "news", 2)) {
                r.readAll(1, false);
                assertEquals(3, r.messages.get(0).get("id").getAsLong(), "since skips what the client has");
            }
            try (Reader r = new Reader(server, "news", -1)) {
                assertEquals(200, r.http.status());
                Await.until("listening", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 1);
                server.halley().publish("news", "only new");
                r.readAll(1, false);
                assertEquals("only new", r.messages.get(0).get("data").getAsString(), "no since: new messages only");
            }
        });
    }

    @Test
    void aClientThatGoesAwayIsReleasedWithItsListener() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            Reader r = new Reader(server, "quiet", -1);
            assertEquals(200, r.http.status());
            Await.until("held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 1
                    && ChannelSubscription.activeListeners() == 1);
            r.http.kill();
            Await.until("released by the heartbeat", Duration.ofSeconds(5),
                    () -> server.servlet().heldConnections() == 0 && ChannelSubscription.activeListeners() == 0);
        });
    }

    @Test
    void theServletStoppingEndsTheStream() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            try (Reader r = new Reader(server, "news", -1)) {
                assertEquals(200, r.http.status());
                Await.until("held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 1);
                server.stopAndCheck();
                server = null;
                assertEquals(0, ChannelSubscription.activeListeners());
            }
        });
    }

    @Test
    void badCallbacksAndChannelsAreJsonErrorsAndThePageStreamKeepsWorking() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, new CometServlet() {
                @Override
                protected void configure(Halley.Builder b) {
                    b.channelPolicy(ChannelPolicy.defaults().subscribe((page, c) -> !c.startsWith("secret")));
                }
            }, TestServer.fastParams(), Map.of());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            FrameStream w = Transport.SSE.open(b, p.page(), 0);
            assertEquals(200, w.status());
            b.get("/comet/news?callback=alert(1)").assertError(400);
            b.get("/comet/news?callback=a..b").assertError(400);
            b.get("/comet/news?callback=x%3By").assertError(400);
            b.get("/comet/news").assertError(400);
            b.get("/comet/bad%20name?callback=f").assertError(400);
            b.get("/comet/?callback=f").assertError(400);
            b.get("/comet/news?callback=f&since=-1").assertError(400);
            b.get("/comet/secret.plans?callback=f").assertError(403);
            b.post("/comet/news?callback=f", "{}").assertError(405);
            assertEquals(1, server.servlet().heldConnections(), "only the page stream is held");
            server.page(p.page()).writer().text("#a", "still here").flush();
            assertEquals("still here", w.next().getAsJsonArray("cmds").get(0).getAsJsonObject().get("text").getAsString());
            w.close();
        });
    }
}
