package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.transport.PageStreams;
import io.halley.testing.Await;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Channels span nodes: one id sequence from the shared history, delivery everywhere, catch-up anywhere. */
@Timeout(60)
class ChannelsAcrossNodesTest extends ClusterTestSupport {

    @Test
    void messagesPublishedOnOneNodeReachPagesOnOthersWithTheSameIds() throws Exception {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        Halley c = node("c", s);
        Page pb = b.open("s1");
        Page pc = c.open("s2");
        pb.subscribe("news");
        pc.subscribe("news");
        List<ChannelMessage> heardOnA = new CopyOnWriteArrayList<>();
        closeLater(a.listen("news", heardOnA::add));

        for (int i = 0; i < 20; i++) a.publish("news", Map.of("n", i));

        Await.until("20 messages on b and c", () -> messages(pb, "news").size() == 20 && messages(pc, "news").size() == 20);
        Await.until("20 messages heard on a itself", () -> heardOnA.size() == 20);
        List<Long> idsB = ids(messages(pb, "news"));
        assertEquals(idsB, ids(messages(pc, "news")), "same ids on every node");
        assertEquals(idsB, heardOnA.stream().map(ChannelMessage::id).collect(Collectors.toList()));
        assertEquals(List.of(1L, 2L, 3L), idsB.subList(0, 3), "ids start at 1 on a fresh Redis");
        assertIncreasing(idsB, "ids on b");
        List<Integer> ns = messages(pb, "news").stream().map(m -> m.getAsJsonObject("data").get("n").getAsInt())
                .collect(Collectors.toList());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) expected.add(i);
        assertEquals(expected, ns, "one publisher's messages arrive in publish order");
    }

    @Test
    void aBatchPublishedOnOneNodeReachesPagesOnAnotherAsOneFrameWithTheSharedIds() throws Exception {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        Page pb = b.open("s1");
        pb.subscribe("batch");
        List<Integer> data = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) data.add(i);
        a.publishAll("batch", data);
        Await.until("30 messages on b", () -> messages(pb, "batch").size() == 30);
        assertEquals(1, PageStreams.frames(pb).lastSeq(), "the batch crossed Redis as one payload: one frame");
        List<Long> ids = ids(messages(pb, "batch"));
        assertEquals(a.history("batch", 0).stream().map(ChannelMessage::id).collect(Collectors.toList()), ids,
                "the ids of the shared history, in order");
        assertIncreasing(ids, "ids on b");
    }

    @Test
    void aPageSubscribingOnAnotherNodeCatchesUpFromTheSharedHistory() {
        RedisSettings s = settings().historySize(5).build();
        Halley a = node("a", s);
        Halley c = node("c", s);
        List<ChannelMessage> heardOnC = new CopyOnWriteArrayList<>();
        closeLater(c.listen("room", heardOnC::add));
        for (int i = 1; i <= 8; i++) a.publish("room", "m" + i);
        // Let the live copies reach c first: core's catch-up does not yet drop a live message that
        // the catch-up already delivered (a race only a distributed hub has; see the module report).
        Await.until("c heard the 8 live", () -> heardOnC.size() == 8);
        // history keeps the last 5 (ids 4..8); a client that saw id 5 catches up with 6, 7, 8
        Page late = c.open("late");
        late.subscribe("room", 5);
        List<JsonObject> got = messages(late, "room");
        assertEquals(List.of(6L, 7L, 8L), ids(got), "caught up at once from Redis");
        assertEquals("m6", got.get(0).get("data").getAsString());
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), c.history("room", 0).stream().map(ChannelMessage::id)
                .collect(Collectors.toList()), "history capped at historySize");

        a.publish("room", "m9");
        Await.until("live message after catch-up", () -> messages(late, "room").size() == 4);
        assertEquals(List.of(6L, 7L, 8L, 9L), ids(messages(late, "room")));
    }

    @Test
    void idsStayUniqueAndAgreedWhenSeveralNodesPublishAtOnce() throws Exception {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        Halley c = node("c", s);
        Page pc = c.open("watcher");
        pc.subscribe("busy");
        Thread ta = new Thread(() -> { for (int i = 0; i < 50; i++) a.publish("busy", "a" + i); });
        Thread tb = new Thread(() -> { for (int i = 0; i < 50; i++) b.publish("busy", "b" + i); });
        ta.start();
        tb.start();
        ta.join(20_000);
        tb.join(20_000);
        Await.until("100 messages on c", () -> messages(pc, "busy").size() == 100);
        List<JsonObject> got = messages(pc, "busy");
        Set<Long> ids = new HashSet<>(ids(got));
        assertEquals(100, ids.size(), "every message has its own id");
        for (long id = 1; id <= 100; id++) assertEquals(true, ids.contains(id), "ids 1..100 with no hole: " + ids);
        for (String from : List.of("a", "b")) {
            List<Integer> order = got.stream().map(m -> m.get("data").getAsString()).filter(d -> d.startsWith(from))
                    .map(d -> Integer.parseInt(d.substring(1))).collect(Collectors.toList());
            for (int i = 0; i < order.size(); i++) assertEquals(i, order.get(i), "publisher " + from + " in order");
        }
        // the history agrees with what was delivered
        Map<Long, String> delivered = got.stream().collect(Collectors.toMap(m -> m.get("id").getAsLong(), m -> m.get("data").toString()));
        for (ChannelMessage m : a.history("busy", 0)) assertEquals(delivered.get(m.id()), m.data().toString(), "id " + m.id());
    }
}
