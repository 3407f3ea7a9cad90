package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.testing.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RedisHub} on its own and with nodes: bad input, prefixes, unsubscribe, an unreachable server. */
@Timeout(60)
class RedisHubTest extends ClusterTestSupport {

    @Test
    void malformedMessagesAreSkippedAndLaterOnesStillArrive() {
        RedisSettings s = settings().build();
        RedisHub hub = new RedisHub(s);
        Halley a = node("a", s);
        Halley b = Halley.builder().nodeId("b").hub(hub).history(new RedisChannelHistory(s)).build().start();
        closeLater(b);
        Page pb = b.open("s");
        pb.subscribe("ch");
        rawPublish(s, s.keyPrefix() + "halley.channels", "not json at all");
        rawPublish(s, s.keyPrefix() + "halley.channels", "{\"t\":\"what\"}");
        a.publish("ch", "fine");
        Await.until("the good message arrives", () -> messages(pb, "ch").size() == 1);
        assertEquals(2, hub.malformedMessages());
    }

    @Test
    void systemsWithDifferentPrefixesDoNotHearEachOther() {
        Halley blue = node("blue", settings().keyPrefix("blue:").build());
        Halley green = node("green", settings().keyPrefix("green:").build());
        Page pg = green.open("s");
        pg.subscribe("ch");
        Page pb = blue.open("s");
        pb.subscribe("ch");
        blue.publish("ch", "for blue");
        Await.until("blue hears itself", () -> messages(pb, "ch").size() == 1);
        Await.pause(200);
        assertEquals(List.of(), messages(pg, "ch"));
    }

    @Test
    void aClosedSubscriptionGetsNothingMoreAndOtherReceiversGoOn() throws Exception {
        RedisSettings s = settings().build();
        RedisHub pub = closeLater(new RedisHub(s));
        RedisHub sub = closeLater(new RedisHub(s));
        List<Object> first = new CopyOnWriteArrayList<>();
        List<Object> second = new CopyOnWriteArrayList<>();
        AutoCloseable one = sub.subscribe("halley.channels", first::add);
        sub.subscribe("halley.channels", second::add);
        Halley a = Halley.builder().nodeId("a").hub(pub).history(new RedisChannelHistory(s)).build().start();
        closeLater(a);
        a.publish("x", 1);
        Await.until("both got the first", () -> first.size() == 1 && second.size() == 1);
        one.close();
        a.publish("x", 2);
        Await.until("second got the second", () -> second.size() == 2);
        Await.pause(200);
        assertEquals(1, first.size());
        // a payload that is not the runtime's no longer compiles (Hub.publish takes a HubMessage); null is refused
        assertThrows(IllegalArgumentException.class, () -> pub.publish("halley.channels", null));
    }

    @Test
    void constructingAgainstAnUnreachableServerFailsFastNamingItWithoutThePassword() {
        redis.kill();
        RedisSettings s = settings().uri("redis://:s3cret@127.0.0.1:" + redis.port()).commandTimeout(Duration.ofMillis(500)).build();
        long t0 = System.nanoTime();
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class, () -> new RedisHub(s));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5000);
        assertTrue(e.getMessage().contains("127.0.0.1:" + redis.port()), e.getMessage());
        assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
        assertThrows(RedisUnavailableException.class, () -> new RedisQueue(s));
        assertThrows(RedisUnavailableException.class, () -> new RedisChannelHistory(s));
    }

    private static void rawPublish(RedisSettings s, String channel, String text) {
        RedisClient client = RedisClient.create(s.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().publish(channel, text);
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
