package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Calls, actions and channel requests sent as messages on a page's WebSocket
 * ({@code internal.ws.SocketCommands}), on Jetty 12 ee10 and Tomcat 10.1 with the JDK's WebSocket
 * client: each is answered on the socket by a reply carrying its id, with the status and body of
 * the HTTP endpoint, and its effects (a callback's {@code done}, an action's {@code reply}, a
 * channel message) arrive as frames on the same socket; the same checks refuse what the HTTP
 * endpoints refuse (wrong token 403, policy 403, unknown callback 404, bad input 400, too large
 * 413) with a JSON reply, and the socket stays open after a refusal.
 */
class SocketCommandsTest {
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    /** A server whose runtime has a callback {@code add}, an action {@code echo}, and publishing allowed on {@code room.*}. */
    private void start(Container container, AtomicInteger adds) throws Exception {
        server = Container.start(container, new CometServlet() {
            @Override
            protected void configure(Halley.Builder b) {
                b.channelPolicy(ChannelPolicy.defaults().allowPublish(c -> c.startsWith("room.")));
            }
        }, TestServer.fastParams(), Map.of());
        server.halley().register("add", (r, args) -> {
            adds.incrementAndGet();
            return args.get(0).getAsInt() + args.get(1).getAsInt();
        });
        server.halley().action("echo", params -> params);
    }

    /** Everything a socket received: replies (JSON objects) and the commands of its frames (JSON arrays). */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
        final BlockingQueue<JsonObject> commands = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonElement m = JsonParser.parseString(text.toString());
                text.setLength(0);
                if (m.isJsonObject()) {
                    replies.add(m.getAsJsonObject());
                } else {
                    for (JsonElement f : m.getAsJsonArray()) {
                        for (JsonElement c : f.getAsJsonObject().getAsJsonArray("cmds")) commands.add(c.getAsJsonObject());
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        JsonObject reply(String id) throws InterruptedException {
            JsonObject r = replies.poll(10, TimeUnit.SECONDS);
            if (r == null) throw new AssertionError("no reply within 10 s");
            assertEquals(id, r.get("reply").isJsonNull() ? null : r.get("reply").getAsString(), r.toString());
            return r;
        }

        /** The next command with this op (others are skipped), within 10 s. */
        JsonObject command(String op) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<JsonObject> skipped = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                JsonObject c = commands.poll(100, TimeUnit.MILLISECONDS);
                if (c == null) continue;
                if (c.get("op").getAsString().equals(op)) return c;
                skipped.add(c);
            }
            throw new AssertionError("no '" + op + "' command within 10 s; saw " + skipped);
        }
    }

    private WebSocket connect(HttpBrowser b, String page, Client c) throws Exception {
        URI uri = URI.create(server.uri("/ws?page=" + page + "&since=0").toString().replaceFirst("^http", "ws"));
        WebSocket.Builder wb = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        wb.header("Origin", server.origin());
        wb.header("Cookie", b.cookieHeader());
        return wb.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
    }

    private static void send(WebSocket ws, String json) throws Exception {
        ws.sendText(json, true).get(10, TimeUnit.SECONDS);
    }

    private static String request(String id, String op, String name, String token, String body) {
        return "{\"id\":\"" + id + "\",\"op\":\"" + op + "\"" + (name == null ? "" : ",\"name\":\"" + name + "\"")
                + ",\"token\":\"" + token + "\",\"body\":" + body + "}";
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void callsActionsAndChannelsAreAnsweredOnTheSocket(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            AtomicInteger adds = new AtomicInteger();
            start(container, adds);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            Client c = new Client();
            WebSocket ws = connect(b, p.page(), c);
            String t = p.token();

            send(ws, request("q1", "call", "add", t, "{\"args\":[2,3],\"call\":\"c1\"}"));
            JsonObject r = c.reply("q1");
            assertEquals(202, r.get("status").getAsInt(), r.toString());
            assertEquals("c1", r.getAsJsonObject("body").get("call").getAsString());
            JsonObject done = c.command("done");
            assertEquals("c1", done.get("call").getAsString());
            assertEquals(5, done.get("result").getAsInt(), "the callback's result arrives as a frame on the socket");

            send(ws, request("q2", "action", "echo", t, "{\"params\":{\"x\":1},\"request\":\"r1\"}"));
            r = c.reply("q2");
            assertEquals(202, r.get("status").getAsInt(), r.toString());
            assertEquals("r1", r.getAsJsonObject("body").get("request").getAsString());
            JsonObject reply = c.command("reply");
            assertEquals("r1", reply.get("request").getAsString());
            assertEquals(1, reply.getAsJsonObject("result").get("x").getAsInt());

            send(ws, request("q3", "subscribe", null, t, "{\"channel\":\"room.a\"}"));
            r = c.reply("q3");
            assertEquals(200, r.get("status").getAsInt(), r.toString());
            assertTrue(r.getAsJsonObject("body").get("subscribed").getAsBoolean());
            send(ws, request("q4", "publish", null, t, "{\"channel\":\"room.a\",\"data\":{\"text\":\"hi\"}}"));
            r = c.reply("q4");
            assertEquals(202, r.get("status").getAsInt(), r.toString());
            JsonObject message = c.command("message");
            assertEquals("room.a", message.get("channel").getAsString());
            assertEquals("hi", message.getAsJsonObject("data").get("text").getAsString());
            send(ws, request("q5", "unsubscribe", null, t, "{\"channel\":\"room.a\"}"));
            assertFalse(c.reply("q5").getAsJsonObject("body").get("subscribed").getAsBoolean());
            assertFalse(c.closed.isDone(), "the socket is still open");
            ws.abort();
        });
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refusalsAreJsonRepliesAndTheSocketStaysOpen(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            AtomicInteger adds = new AtomicInteger();
            start(container, adds);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            HttpBrowser.PageRef other = b.openPage(); // same session, another page: its token is not this page's
            Client c = new Client();
            WebSocket ws = connect(b, p.page(), c);
            String t = p.token();

            send(ws, request("w1", "call", "add", other.token(), "{\"args\":[1,1]}"));
            assertRefused(c.reply("w1"), 403, "token");
            send(ws, "{\"id\":\"w2\",\"op\":\"call\",\"name\":\"add\",\"body\":{\"args\":[1,1]}}");
            assertRefused(c.reply("w2"), 403, "token");
            assertEquals(0, adds.get(), "nothing ran without the page's token");

            send(ws, request("w3", "publish", null, t, "{\"channel\":\"news\",\"data\":1}"));
            assertRefused(c.reply("w3"), 403, "not allowed to publish");
            send(ws, request("w4", "call", "nope", t, "{\"args\":[]}"));
            assertRefused(c.reply("w4"), 404, "");
            send(ws, request("w5", "call", "add", t, "{\"args\":{\"a\":1}}"));
            assertRefused(c.reply("w5"), 400, "'args' must be a JSON array");
            send(ws, request("w6", "launch", null, t, "{}"));
            assertRefused(c.reply("w6"), 400, "unknown 'op'");
            send(ws, request("w7", "publish", null, t, "{\"channel\":\"room.a\"}"));
            assertRefused(c.reply("w7"), 400, "missing 'data'");
            send(ws, request("w8", "action", "bad route!", t, "{}"));
            assertRefused(c.reply("w8"), 400, "route");
            send(ws, "not json");
            assertRefused(c.reply(null), 400, "not valid JSON");
            send(ws, "{\"op\":\"call\"}");
            assertRefused(c.reply(null), 400, "'id'");
            send(ws, request("w9", "publish", null, t, "{\"channel\":\"room.a\",\"data\":\"" + "x".repeat(70 * 1024) + "\"}"));
            assertRefused(c.reply(null), 413, "maxBodyBytes");
            assertEquals(0, adds.get());

            send(ws, request("ok", "call", "add", t, "{\"args\":[4,4]}"));
            assertEquals(202, c.reply("ok").get("status").getAsInt(), "the socket still serves after the refusals");
            assertEquals(8, c.command("done").get("result").getAsInt());
            assertEquals(1, adds.get());
            assertFalse(c.closed.isDone());

            server.page(p.page()).close();
            assertEquals(4410, c.closed.get(10, TimeUnit.SECONDS), "the page's end closes its socket");
        });
    }

    private static void assertRefused(JsonObject r, int status, String reason) {
        assertEquals(status, r.get("status").getAsInt(), r.toString());
        String error = r.get("error").getAsString();
        assertTrue(error.contains(reason), r.toString());
        assertFalse(error.contains("Exception"), r.toString());
        assertFalse(r.has("body"), r.toString());
    }
}
