package io.halley.core;

import static io.halley.core.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.spi.HubMessage;
import io.halley.core.spi.InMemoryHub;
import io.halley.core.spi.InMemoryQueue;
import io.halley.core.spi.QueuedAction;
import io.halley.core.transport.PageStreams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ActionAndSpiTest {

    @Test
    void inMemoryHubDeliversToEverySubscriberInPublishOrder() throws Exception {
        InMemoryHub hub = new InMemoryHub();
        List<HubMessage> a = new CopyOnWriteArrayList<>();
        List<HubMessage> b = new CopyOnWriteArrayList<>();
        AutoCloseable sa = hub.subscribe("t", a::add);
        hub.subscribe("t", b::add);
        hub.subscribe("other", x -> fail("wrong topic"));
        hub.publish("t", msg(1));
        hub.publish("t", msg(2));
        sa.close();
        hub.publish("t", msg(3));
        assertEquals(List.of(msg(1), msg(2)), a);
        assertEquals(List.of(msg(1), msg(2), msg(3)), b);
        hub.close();
        hub.publish("t", msg(4));
        assertEquals(3, b.size(), "closed hub drops publishes");
    }

    private static HubMessage msg(int n) {
        return new HubMessage.PageCommands("p" + n, "[]", "n1");
    }

    @Test
    void inMemoryQueueHandsEachActionToTheWorkerAndRetriesAFailure() {
        InMemoryQueue q = new InMemoryQueue();
        AtomicInteger attempts = new AtomicInteger();
        List<String> taken = new CopyOnWriteArrayList<>();
        q.consume((a, done) -> {
            if (a.id().equals("flaky") && attempts.incrementAndGet() == 1) throw new IllegalStateException("expected");
            taken.add(a.id());
            done.run();
        });
        q.offer(new QueuedAction("one", "r", "{}", null, null));
        q.offer(new QueuedAction("flaky", "r", "{}", null, null));
        q.offer(new QueuedAction("two", "r", "{}", null, null));
        await("all taken", () -> taken.size() == 3);
        assertEquals(List.of("one", "flaky", "two"), taken);
        assertEquals(2, attempts.get());
        assertEquals(3, q.completed());
        q.close();
    }

    @Test
    void actionReplyIsRoutedToTheRequestingPage() {
        try (Halley h = TestSupport.quick().build().start()) {
            h.action("math.add", params -> {
                JsonObject o = params.getAsJsonObject();
                return Map.of("sum", o.get("a").getAsInt() + o.get("b").getAsInt());
            });
            Page p = h.open("s1");
            h.request(p.id(), "req-1", "math.add", JsonParser.parseString("{\"a\":2,\"b\":3}"));
            await("reply", () -> PageStreams.frames(p).lastSeq() == 1);
            JsonObject reply = TestSupport.commands(p).get(0);
            assertEquals("reply", reply.get("op").getAsString());
            assertEquals("req-1", reply.get("request").getAsString());
            assertEquals(5, reply.getAsJsonObject("result").get("sum").getAsInt());
            assertFalse(reply.has("error"));
        }
    }

    @Test
    void unknownOrFailingActionRepliesWithASafeError() {
        try (Halley h = TestSupport.quick().build().start()) {
            h.action("boom", params -> {
                throw new IllegalStateException("secret internal detail");
            });
            Page p = h.open("s1");
            h.request(p.id(), "r1", "nope", null);
            h.request(p.id(), "r2", "boom", null);
            await("two replies", () -> PageStreams.frames(p).lastSeq() == 2);
            List<JsonObject> cmds = TestSupport.commands(p);
            JsonObject byId1 = cmds.stream().filter(c -> c.get("request").getAsString().equals("r1")).findFirst().orElseThrow();
            JsonObject byId2 = cmds.stream().filter(c -> c.get("request").getAsString().equals("r2")).findFirst().orElseThrow();
            assertTrue(byId1.get("error").getAsString().contains("unknown action"));
            assertEquals("action failed", byId2.get("error").getAsString());
        }
    }

    @Test
    void oversizeActionParametersAreRefused() {
        try (Halley h = TestSupport.quick().maxMessageBytes(64).build().start()) {
            Page p = h.open("s1");
            HalleyException e = assertThrows(HalleyException.class,
                    () -> h.request(p.id(), "r", "x", JsonParser.parseString("\"" + "z".repeat(100) + "\"")));
            assertEquals(HalleyException.Kind.TOO_LARGE, e.kind());
        }
    }
}
