package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.halley.core.CallResponse;
import io.halley.core.Callback;
import io.halley.core.HalleyException;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code POST /call/<name>}: streamed callbacks through the HTTP endpoint, on a real Jetty. */
class CallEndpointTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    /** Exposes two annotated methods; the rest must stay unreachable. */
    public static final class Calculator {
        final AtomicInteger helperCalls = new AtomicInteger();

        @Callback
        public String greet(CallResponse r, String name) {
            r.text("#greeting", "hello " + name).flush();
            return "greeted " + name;
        }

        @Callback("math.add")
        public int add(int a, int b) {
            return a + b;
        }

        public void helper() {
            helperCalls.incrementAndGet();
        }

        @SuppressWarnings("unused")
        private void secret() {
            helperCalls.incrementAndGet();
        }
    }

    static JsonObject cmd(JsonObject frame, int i) {
        return frame.getAsJsonArray("cmds").get(i).getAsJsonObject();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void fiveFlushesArriveAsFiveFramesInOrderThenDone(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            server.halley().register("five", (r, args) -> {
                for (int i = 1; i <= 5; i++) {
                    r.text("#progress", "step " + i).flush();
                    Thread.sleep(5);
                }
                return "finished";
            });
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            HttpBrowser.Resp r = b.pagePost(p, "/call/five", "\"args\":[],\"call\":\"k-1\"");
            assertEquals(202, r.status(), r.body());
            assertEquals("k-1", r.json().get("call").getAsString());
            Transport.Received got = t.receive(b, p.page(), 0, 6, 0);
            for (int i = 1; i <= 5; i++) {
                JsonObject f = got.frames.get(i - 1);
                assertEquals(i, f.get("seq").getAsLong());
                assertEquals(1, f.getAsJsonArray("cmds").size(), "one flush, one frame");
                assertEquals("step " + i, cmd(f, 0).get("text").getAsString());
            }
            JsonObject last = got.frames.get(5);
            assertEquals("done", cmd(last, 0).get("op").getAsString());
            assertEquals("k-1", cmd(last, 0).get("call").getAsString());
            assertEquals("finished", cmd(last, 0).get("result").getAsString());
        });
    }

    @Test
    void registerObjectExposesExactlyTheAnnotatedMethods() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            Calculator calc = new Calculator();
            assertEquals(Set.of("greet", "math.add"), Set.copyOf(server.halley().registerObject(calc)));
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            assertEquals(202, b.pagePost(p, "/call/greet", "\"args\":[\"Ada\"],\"call\":\"g\"").status());
            assertEquals(202, b.pagePost(p, "/call/math.add", "\"args\":[2,3],\"call\":\"a\"").status());
            for (String hidden : new String[] {"helper", "secret", "toString", "hashCode", "getClass", "wait", "add"}) {
                b.pagePost(p, "/call/" + hidden, "\"args\":[]").assertError(404);
            }
            assertEquals(0, calc.helperCalls.get(), "nothing hidden ran");
            Transport.Received got = Transport.SSE.receive(b, p.page(), 0, 3, 0);
            JsonArray all = new JsonArray();
            for (JsonObject f : got.frames) all.addAll(f.getAsJsonArray("cmds"));
            assertEquals("hello Ada", find(all, "text", null).get("text").getAsString());
            assertEquals("greeted Ada", find(all, "done", "g").get("result").getAsString());
            assertEquals(5, find(all, "done", "a").get("result").getAsInt());
        });
    }

    static JsonObject find(JsonArray cmds, String op, String call) {
        for (var e : cmds) {
            JsonObject c = e.getAsJsonObject();
            if (c.get("op").getAsString().equals(op) && (call == null || call.equals(c.get("call").getAsString()))) return c;
        }
        throw new AssertionError("no " + op + " " + call + " in " + cmds);
    }

    @Test
    void badCallsAreJsonErrorsNothingRunsAndTheStreamKeepsWorking() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("maxBodyBytes", "1024");
            server = Container.start(JETTY, params);
            server.halley().registerObject(new Calculator());
            AtomicInteger ran = new AtomicInteger();
            server.halley().register("count", (r, args) -> ran.incrementAndGet());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            FrameStream w = Transport.SSE.open(b, p.page(), 0);
            assertEquals(200, w.status());
            b.pagePost(p, "/call/nope", "\"args\":[]").assertError(404);
            b.pagePost(p, "/call/math.add", "\"args\":{\"a\":1}").assertError(400);      // not an array
            b.pagePost(p, "/call/math.add", "\"args\":[1]").assertError(400);            // wrong count
            b.pagePost(p, "/call/math.add", "\"args\":[1,\"two\"]").assertError(400);    // wrong type
            b.pagePost(p, "/call/math.add", "\"args\":[1,2.5]").assertError(400);        // not an integer
            b.pagePost(p, "/call/count", "\"call\":\"bad id!\"").assertError(400);       // malformed call id
            b.post("/call/count", "{\"page\":\"" + p.page() + "\",\"args\":[", "Origin", b.origin(),
                    "X-Halley-Token", p.token()).assertError(400);                          // malformed JSON
            b.pagePost(p, "/call/count", "\"args\":[\"" + "x".repeat(2000) + "\"]").assertError(413);
            b.post("/call/count", "{\"page\":\"" + p.page() + "\"}", "Origin", b.origin()).assertError(403); // no token
            HttpBrowser.Resp wrong = b.pagePost(p, "/call/math.add", "\"args\":[1,\"two\"]");
            assertEquals("argument 2 of callback math.add: expected int, got string", wrong.json().get("error").getAsString());
            assertEquals(0, ran.get(), "nothing ran");
            assertEquals(202, b.pagePost(p, "/call/math.add", "\"args\":[20,22],\"call\":\"ok\"").status());
            JsonObject f = w.next();
            assertEquals("done", cmd(f, 0).get("op").getAsString());
            assertEquals(42, cmd(f, 0).get("result").getAsInt(), "the stream still works after the refusals");
            w.close();
        });
    }

    @Test
    void aThrowingCallbackEndsWithFailCarryingItsMessage() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            server.halley().register("refuse", (r, args) -> {
                r.text("#a", "before").flush();
                throw new HalleyException(HalleyException.Kind.BAD_INPUT, "not today");
            });
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            assertEquals(202, b.pagePost(p, "/call/refuse", "\"call\":\"f1\"").status());
            Transport.Received got = Transport.POLL.receive(b, p.page(), 0, 2, 0);
            JsonObject fail = cmd(got.frames.get(1), 0);
            assertEquals("fail", fail.get("op").getAsString());
            assertEquals("f1", fail.get("call").getAsString());
            assertEquals("not today", fail.get("error").getAsString());
        });
    }

    @Test
    void noFreeThreadIs429AndNothingIsLost() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("executor", "PLATFORM");
            params.put("maxCometThreads", "1");
            server = Container.start(JETTY, params);
            CountDownLatch release = new CountDownLatch(1);
            server.halley().register("block", (r, args) -> release.await(10, TimeUnit.SECONDS));
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            assertEquals(202, b.pagePost(p, "/call/block", "\"call\":\"one\"").status());
            b.pagePost(p, "/call/block", "\"call\":\"two\"").assertError(429);
            release.countDown();
            JsonObject done = cmd(Transport.SSE.receive(b, p.page(), 0, 1, 0).frames.get(0), 0);
            assertEquals("one", done.get("call").getAsString());
            assertEquals(true, done.get("result").getAsBoolean());
        });
    }
}
