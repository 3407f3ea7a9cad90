package io.halley.core;

import static io.halley.core.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.transport.Frame;
import io.halley.core.transport.PageStreams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallbackTest {
    private Halley halley;
    private Page page;

    @BeforeEach
    void start() {
        halley = TestSupport.quick().build().start();
        page = halley.open("s1");
    }

    @AfterEach
    void close() {
        halley.close();
    }

    private static JsonArray args(String json) {
        return JsonParser.parseString(json).getAsJsonArray();
    }

    private JsonObject lastCommand() {
        List<JsonObject> all = TestSupport.commands(page);
        return all.get(all.size() - 1);
    }

    @Test
    void eachFlushIsOneFrameThenDoneCarriesTheReturnValue() {
        halley.register("work", (r, a) -> {
            for (int i = 1; i <= 5; i++) r.update("#progress", i + "/5").flush();
            return "finished";
        });
        String id = halley.call(page, "work", new JsonArray(), "k1");
        assertEquals("k1", id);
        await("done", () -> PageStreams.frames(page).lastSeq() == 6);
        List<Frame> frames = PageStreams.frames(page).since(0).frames();
        for (int i = 0; i < 5; i++) assertTrue(frames.get(i).commandsJson().contains(i + 1 + "/5"));
        JsonObject done = lastCommand();
        assertEquals("done", done.get("op").getAsString());
        assertEquals("k1", done.get("call").getAsString());
        assertEquals("finished", done.get("result").getAsString());
    }

    @Test
    void commandsQueuedAfterTheLastFlushArriveWithDone() {
        halley.register("tail", (r, a) -> {
            r.text("#a", "one").flush();
            r.text("#a", "queued");
            return null;
        });
        halley.call(page, "tail", new JsonArray(), null);
        await("done", () -> PageStreams.frames(page).lastSeq() == 2);
        assertEquals(List.of("text", "text", "done"), TestSupport.ops(page));
    }

    @Test
    void aCallbackThatNeverFlushesDeliversEverythingAtItsEnd() {
        halley.register("quiet", (r, a) -> {
            r.alert("a").alert("b");
            return 1;
        });
        halley.call(page, "quiet", new JsonArray(), null);
        await("done", () -> PageStreams.frames(page).lastSeq() == 1);
        assertEquals(List.of("alert", "alert", "done"), TestSupport.ops(page));
    }

    @Test
    void unknownCallbackIsNotFoundAndNothingRuns() {
        HalleyException e = assertThrows(HalleyException.class, () -> halley.call(page, "nope", new JsonArray(), null));
        assertEquals(HalleyException.Kind.NOT_FOUND, e.kind());
        assertEquals(0, PageStreams.frames(page).lastSeq());
    }

    @Test
    void exceptionInHandlerFailsWithASafeMessage() {
        halley.register("explode", (r, a) -> {
            r.text("#a", "before").flush();
            throw new IllegalStateException("db password is hunter2");
        });
        halley.register("refuse", (r, a) -> {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "not yours");
        });
        halley.call(page, "explode", new JsonArray(), "e1");
        await("fail", () -> PageStreams.frames(page).lastSeq() == 2);
        assertEquals("callback failed", lastCommand().get("error").getAsString());
        halley.call(page, "refuse", new JsonArray(), "e2");
        await("fail 2", () -> PageStreams.frames(page).lastSeq() == 3);
        assertEquals("fail", lastCommand().get("op").getAsString());
        assertEquals("not yours", lastCommand().get("error").getAsString());
    }

    public static final class Shop {
        public String add(int a, long b) {
            return "sum=" + (a + b);
        }

        public void progress(CallResponse r, List<String> steps) {
            for (String s : steps) r.text("#step", s).flush();
        }

        public Map<String, Object> echo(Map<String, Object> in) {
            return in;
        }

        void packagePrivate() {
        }

        private void secret() {
        }
    }

    public static final class Annotated {
        @Callback
        public int exposed() {
            return 1;
        }

        @Callback("renamed.op")
        public int other() {
            return 2;
        }

        public int notExposed() {
            return 3;
        }
    }

    @Test
    void registerObjectExposesExactlyThePublicDeclaredMethods() {
        assertEquals(List.of("add", "echo", "progress"), halley.registerObject(new Shop()));
        assertEquals(List.of("exposed", "renamed.op"), halley.registerObject(new Annotated()));
        for (String hidden : List.of("packagePrivate", "secret", "notExposed", "toString", "hashCode", "wait", "other")) {
            assertEquals(HalleyException.Kind.NOT_FOUND,
                    assertThrows(HalleyException.class, () -> halley.call(page, hidden, new JsonArray(), null)).kind(), hidden);
        }
    }

    @Test
    void jsonArgumentsAreConvertedToTheParameterTypes() {
        halley.registerObject(new Shop());
        halley.call(page, "add", args("[2, 40]"), "a1");
        await("add done", () -> PageStreams.frames(page).lastSeq() == 1);
        assertEquals("sum=42", lastCommand().get("result").getAsString());
        halley.call(page, "progress", args("[[\"one\",\"two\"]]"), "p1");
        await("progress done", () -> PageStreams.frames(page).lastSeq() == 4);
        assertEquals(List.of("done", "text", "text", "done"), TestSupport.ops(page));
    }

    @Test
    void wrongOrMalformedArgumentsAreBadInputWithTheReasonAndNothingRuns() {
        halley.registerObject(new Shop());
        String[][] cases = {
                {"[1]", "takes 2 argument(s), got 1"},
                {"[\"x\", 1]", "argument 1 of callback add: expected int, got string"},
                {"[1.5, 1]", "argument 1 of callback add: expected int"},
                {"[null, 1]", "expected int, got null"},
                {"[1, 99999999999999999999999]", "argument 2 of callback add: expected long"},
                {"[{}, 1]", "expected int, got object"},
        };
        for (String[] c : cases) {
            HalleyException e = assertThrows(HalleyException.class, () -> halley.call(page, "add", args(c[0]), null), c[0]);
            assertEquals(HalleyException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        HalleyException e = assertThrows(HalleyException.class, () -> halley.call(page, "echo", args("[[1,2]]"), null));
        assertTrue(e.getMessage().contains("argument 1 of callback echo"), e.getMessage());
        assertEquals(0, PageStreams.frames(page).lastSeq(), "nothing ran");
    }

    @Test
    void overloadedExposedMethodsAreRefusedAtRegistration() {
        class Overloads {
            public void f(int a) {
            }

            public void f(String a) {
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> halley.registerObject(new Overloads()));
        assertTrue(e.getMessage().contains("'f'"));
    }

    @Test
    void channelPolicyDefaultsAllowSubscribingToNonReservedChannelsAndDenyPublishing() {
        ChannelPolicy p = halley.channelPolicy();
        assertTrue(p.maySubscribe(page, "news"));
        assertFalse(p.maySubscribe(page, "halley.internal"));
        assertFalse(p.maySubscribe(page, "_private"));
        assertFalse(p.mayPublish(page, "news"));
        ChannelPolicy open = ChannelPolicy.defaults().allowPublish(c -> c.startsWith("chat."));
        assertTrue(open.mayPublish(page, "chat.room1"));
        assertFalse(open.mayPublish(page, "news"));
        page.listenOnly(true);
        assertFalse(open.mayPublish(page, "chat.room1"), "listen-only pages never publish");
        assertTrue(open.maySubscribe(page, "chat.room1"));
    }
}
