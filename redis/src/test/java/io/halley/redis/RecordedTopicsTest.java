package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halley.core.spi.HubMessage;
import io.halley.testing.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisHub}'s recorded topics on their own: publish order across hubs, a hole in a topic's
 * numbering (entries this node never read: trimmed) becomes a {@link HubMessage.TopicGap} with the
 * count, and the channels' topic stays plain pub/sub.
 */
@Timeout(60)
class RecordedTopicsTest extends ClusterTestSupport {

    @Test
    void messagesOfOnePublisherArriveOnceInOrderOnEveryHub() {
        RedisSettings s = settings().build();
        RedisHub pub = closeLater(new RedisHub(s));
        RedisHub one = closeLater(new RedisHub(s));
        RedisHub two = closeLater(new RedisHub(s));
        List<HubMessage> a = new CopyOnWriteArrayList<>();
        List<HubMessage> b = new CopyOnWriteArrayList<>();
        one.subscribe("halley.pools", a::add);
        two.subscribe("halley.pools", b::add);
        List<HubMessage> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            HubMessage m = new HubMessage.PoolSent("p", "n1", "line " + i);
            sent.add(m);
            pub.publish("halley.pools", m);
        }
        Await.until("both hubs got 2000", () -> a.size() == 2000 && b.size() == 2000);
        assertEquals(sent, a);
        assertEquals(sent, b);
        assertEquals(0, pub.unsentMessages());
    }

    @Test
    void entriesThisNodeNeverReadBecomeAGapWithTheirCountBeforeTheNextMessage() throws Exception {
        RedisSettings s = settings().build();
        RedisHub pub = closeLater(new RedisHub(s));
        RedisHub sub = closeLater(new RedisHub(s));
        List<HubMessage> got = new CopyOnWriteArrayList<>();
        sub.subscribe("halley.pages", got::add);
        HubMessage first = new HubMessage.PageCommands("page-1", "[]", "n1");
        pub.publish("halley.pages", first);
        Await.until("the first arrives", () -> got.size() == 1);
        // 40 entries appended and trimmed away before this node read them: the counter moved on
        RedisClient raw = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = raw.connect()) {
            c.sync().incrby(s.keyPrefix() + "hub:{halley.pages}:seq", 40);
        } finally {
            raw.shutdown(0, 2, TimeUnit.SECONDS);
        }
        HubMessage next = new HubMessage.PageCommands("page-1", "[1]", "n1");
        pub.publish("halley.pages", next);
        Await.until("the gap and the next message arrive", () -> got.size() == 3);
        assertEquals(List.of(first, new HubMessage.TopicGap("halley.pages", 40), next), got);
    }

    /**
     * The append script's order rule, run directly: a writer Redis has no record of is taken from
     * its number 1 on, so a pipeline's second script overtaking its first (the first fell back
     * from EVALSHA to EVAL) is refused and sent again, never taken with the first then dropped as
     * a duplicate; forced (Redis lost the writer's record), a later number goes in.
     */
    @Test
    void theAppendScriptTakesAnUnknownWritersMessagesFromItsFirstOnly() {
        RedisSettings s = settings().build();
        TopicStreams keys = new TopicStreams(s);
        String[] k = {keys.seqKey("t"), keys.logKey("t"), keys.writerKey("t", "w1")};
        RedisClient raw = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = raw.connect()) {
            var r = c.sync();
            assertEquals(-1L, append(r, k, 2, false), "number 2 before number 1");
            assertEquals(1L, append(r, k, 1, false), "number 1 goes in as the topic's first");
            assertEquals(2L, append(r, k, 2, false), "then number 2");
            assertEquals(0L, append(r, k, 2, false), "number 2 again is a duplicate");
            assertEquals(-1L, append(r, k, 4, false), "number 4 while 3 is missing");
            String[] other = {k[0], k[1], keys.writerKey("t", "w2")};
            assertEquals(3L, append(r, other, 7, true), "forced: a writer whose record Redis lost");
            assertEquals(3L, r.xlen(k[1]).longValue(), "three entries in the stream");
        } finally {
            raw.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static Long append(io.lettuce.core.api.sync.RedisCommands<String, String> r, String[] keys, long pseq, boolean force) {
        return TopicStreamWriter.APPEND.run(r, ScriptOutputType.INTEGER, keys, "m" + pseq, "1000", Long.toString(pseq),
                "60", force ? "1" : "0", keys[2]);
    }
}
