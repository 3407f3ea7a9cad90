package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /subscribe}, {@code /unsubscribe}, {@code /publish} and the channel policy, on a real Jetty. */
class ChannelEndpointTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    /** A servlet whose runtime lets browsers publish to {@code chat.*}. */
    static CometServlet chatServlet() {
        return new CometServlet() {
            @Override
            protected void configure(Halley.Builder b) {
                b.channelPolicy(ChannelPolicy.defaults().allowPublish(c -> c.startsWith("chat.")));
            }
        };
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> params = TestServer.fastParams();
        params.putAll(extra);
        server = Container.start(JETTY, chatServlet(), params, Map.of());
    }

    /** The message commands of {@code frame}: {id, data} pairs. */
    static List<JsonObject> messages(JsonObject frame) {
        List<JsonObject> out = new ArrayList<>();
        for (var c : frame.getAsJsonArray("cmds")) {
            if (c.getAsJsonObject().get("op").getAsString().equals("message")) out.add(c.getAsJsonObject());
        }
        return out;
    }

    @Test
    void subscribeDeliversNewMessagesAndSinceCatchesUp() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start(Map.of());
            for (int i = 1; i <= 3; i++) server.halley().publish("news", "old " + i);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            HttpBrowser.Resp r = b.pagePost(p, "/subscribe", "\"channel\":\"news\"");
            assertEquals(200, r.status(), r.body());
            assertEquals("news", r.json().get("channel").getAsString());
            assertTrue(r.json().get("subscribed").getAsBoolean());
            assertEquals(3, r.json().get("last").getAsLong(), "the resume point");
            server.halley().publish("news", "fresh");
            FrameStream w = Transport.SSE.open(b, p.page(), 0);
            JsonObject m = messages(w.next()).get(0);
            assertEquals(4, m.get("id").getAsLong(), "no replay without since");
            assertEquals("fresh", m.get("data").getAsString());

            assertEquals(200, b.pagePost(p, "/subscribe", "\"channel\":\"news\",\"since\":1").status());
            List<JsonObject> caught = messages(w.next());
            assertEquals(List.of(2L, 3L, 4L), caught.stream().map(c -> c.get("id").getAsLong()).toList(),
                    "the missed messages as one frame");

            assertEquals(false, b.pagePost(p, "/unsubscribe", "\"channel\":\"news\"").json().get("subscribed").getAsBoolean());
            server.halley().publish("news", "after unsubscribe");
            server.page(p.page()).writer().text("#marker", "m").flush();
            JsonObject next = w.next();
            assertTrue(messages(next).isEmpty(), "no message after unsubscribing: " + next);
            w.close();
        });
    }

    @Test
    void refusedSubscriptionsAreJsonErrors() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start(Map.of("maxChannelsPerPage", "2"));
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            b.pagePost(p, "/subscribe", "\"channel\":\"halley.internal\"").assertError(403);
            b.pagePost(p, "/subscribe", "\"channel\":\"_private\"").assertError(403);
            b.pagePost(p, "/subscribe", "\"channel\":\"bad name\"").assertError(400);
            b.pagePost(p, "/subscribe", "").assertError(400);
            b.pagePost(p, "/subscribe", "\"channel\":\"a\",\"since\":-1").assertError(400);
            b.pagePost(p, "/subscribe", "\"channel\":\"a\",\"since\":\"x\"").assertError(400);
            b.post("/subscribe", "{\"page\":\"" + p.page() + "\",\"channel\":\"a\"}", "Origin", b.origin()).assertError(403);
            assertEquals(200, b.pagePost(p, "/subscribe", "\"channel\":\"a\"").status());
            assertEquals(200, b.pagePost(p, "/subscribe", "\"channel\":\"b\"").status());
            b.pagePost(p, "/subscribe", "\"channel\":\"c\"").assertError(429);
            assertEquals(200, b.pagePost(p, "/subscribe", "\"channel\":\"a\"").status(), "again: no new slot");
            b.pagePost(p, "/unsubscribe", "\"channel\":\"bad name\"").assertError(400);
            b.method("GET", "/subscribe", null).assertError(405);
        });
    }

    @Test
    void aForbiddenPublishIs403AndTheStreamKeepsWorking() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start(Map.of("maxMessageBytes", "100"));
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            assertEquals(200, b.pagePost(p, "/subscribe", "\"channel\":\"chat.room\"").status());
            FrameStream w = Transport.IFRAME.open(b, p.page(), 0);
            assertEquals(200, w.status());
            b.pagePost(p, "/publish", "\"channel\":\"news\",\"data\":1").assertError(403);
            b.pagePost(p, "/publish", "\"channel\":\"halley.chat\",\"data\":1").assertError(403);
            b.pagePost(p, "/publish", "\"channel\":\"chat.room\"").assertError(400);   // no data
            b.pagePost(p, "/publish", "\"channel\":\"chat.room\",\"data\":\"" + "x".repeat(200) + "\"").assertError(413);
            HttpBrowser.Resp ok = b.pagePost(p, "/publish", "\"channel\":\"chat.room\",\"data\":{\"text\":\"hi\"}");
            assertEquals(202, ok.status(), ok.body());
            JsonObject m = messages(w.next()).get(0);
            assertEquals("chat.room", m.get("channel").getAsString());
            assertEquals("hi", m.get("data").getAsJsonObject().get("text").getAsString(), "a later frame still arrives");
            w.close();
        });
    }

    @Test
    void aListenOnlyPageMaySubscribeButNeverPublish() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start(Map.of());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.Resp opened = b.post("/page", "{\"listenOnly\":true}", "Origin", b.origin());
            assertTrue(opened.json().get("listenOnly").getAsBoolean());
            HttpBrowser.PageRef listener = new HttpBrowser.PageRef(opened.json().get("page").getAsString(),
                    opened.json().get("token").getAsString());
            assertTrue(server.page(listener.page()).isListenOnly());
            assertEquals(200, b.pagePost(listener, "/subscribe", "\"channel\":\"chat.room\"").status());
            b.pagePost(listener, "/publish", "\"channel\":\"chat.room\",\"data\":1").assertError(403);
            HttpBrowser.PageRef talker = b.openPage();
            assertFalse(server.page(talker.page()).isListenOnly());
            assertEquals(202, b.pagePost(talker, "/publish", "\"channel\":\"chat.room\",\"data\":2").status());
            JsonArray cmds = Transport.POLL.receive(b, listener.page(), 0, 1, 0).frames.get(0).getAsJsonArray("cmds");
            assertEquals(2, cmds.get(0).getAsJsonObject().get("data").getAsInt(), "the listener hears the talker");
            b.post("/page", "{\"listenOnly\":\"yes\"}", "Origin", b.origin()).assertError(400);
        });
    }
}
