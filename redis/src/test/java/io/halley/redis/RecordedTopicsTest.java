package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halley.core.spi.HubMessage;
import io.halley.testing.Await;
import io.lettuce.core.RedisClient;
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
}
