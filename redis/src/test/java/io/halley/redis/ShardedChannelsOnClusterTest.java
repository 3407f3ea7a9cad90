package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Channels on a 3-master Redis Cluster over sharded pub/sub: channels on different shards reach
 * their readers on every node, once and in order, and each node subscribes (on the channel's own
 * master) to exactly the channels it has readers for, and stops after the last one leaves.
 */
@Timeout(90)
class ShardedChannelsOnClusterTest extends RedisClusterTestSupport {

    @Test
    void channelsOnDifferentShardsReachTheirReadersAndEachNodeSubscribesToItsOwnOnly() throws Exception {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        Halley c = node("c", s);
        String ch0 = channelOn(0, "feed");
        String ch1 = channelOn(1, "feed");
        String ch2 = channelOn(2, "feed");

        Page pa = a.open("pa");
        pa.subscribe(ch0);
        pa.subscribe(ch1);
        Page pb = b.open("pb");
        pb.subscribe(ch1);
        pb.subscribe(ch2);
        List<ChannelMessage> heardOnC = new CopyOnWriteArrayList<>();
        AutoCloseable listener = c.listen(ch2, heardOnC::add);

        // each node subscribes to its readers' channels only, each on the master of the channel
        assertEquals(Set.of(ch0, ch1), hubs.get("a").watchedChannels());
        assertEquals(Set.of(ch1, ch2), hubs.get("b").watchedChannels());
        assertEquals(Set.of(ch2), hubs.get("c").watchedChannels());
        assertEquals(List.of(shard(ch0)), cluster.shardChannels(0), "master 0 carries ch0 only");
        assertEquals(List.of(shard(ch1)), cluster.shardChannels(1), "master 1 carries ch1 only");
        assertEquals(List.of(shard(ch2)), cluster.shardChannels(2), "master 2 carries ch2 only");
        assertEquals(1, cluster.shardSubscribers(0, shard(ch0)), "a only");
        assertEquals(2, cluster.shardSubscribers(1, shard(ch1)), "a and b");
        assertEquals(2, cluster.shardSubscribers(2, shard(ch2)), "b and c");

        for (int i = 0; i < 20; i++) {
            c.publish(ch0, Map.of("n", i)); // c has no reader of ch0 or ch1: it publishes without subscribing
            c.publish(ch1, Map.of("n", i));
            a.publish(ch2, Map.of("n", i));
        }
        Await.until("20 messages of each channel on each reader", () -> messages(pa, ch0).size() == 20
                && messages(pa, ch1).size() == 20 && messages(pb, ch1).size() == 20 && messages(pb, ch2).size() == 20
                && heardOnC.size() == 20);
        for (List<com.google.gson.JsonObject> got : List.of(messages(pa, ch0), messages(pa, ch1), messages(pb, ch1), messages(pb, ch2))) {
            assertEquals(ids(1, 20), ClusterTestSupport.ids(got), "ids 1..20 of the channel's own counter, in order");
            assertEquals(numbers(20), got.stream().map(m -> m.getAsJsonObject("data").get("n").getAsInt()).collect(Collectors.toList()));
        }
        assertEquals(ids(1, 20), heardOnC.stream().map(ChannelMessage::id).collect(Collectors.toList()));
        assertEquals(Set.of(), hubs.get("c").watchedChannels().stream().filter(x -> !x.equals(ch2)).collect(Collectors.toSet()),
                "publishing subscribes to nothing");

        // the last reader leaving unsubscribes; coming back subscribes again and misses nothing after it
        pa.unsubscribe(ch0);
        Await.until("a unsubscribed from ch0 on master 0", () -> cluster.shardSubscribers(0, shard(ch0)) == 0);
        assertEquals(Set.of(ch1), hubs.get("a").watchedChannels());
        listener.close();
        Await.until("c unsubscribed from ch2 (b still reads it)", () -> cluster.shardSubscribers(2, shard(ch2)) == 1);
        assertEquals(Set.of(), hubs.get("c").watchedChannels());
        c.publish(ch0, Map.of("n", 20)); // nobody reads ch0 now: only the history has it
        pa.subscribe(ch0, 20);
        assertEquals(1, cluster.shardSubscribers(0, shard(ch0)), "subscribed again");
        c.publish(ch0, Map.of("n", 21));
        Await.until("ch0's 21st (from the history) and 22nd (live)", () -> messages(pa, ch0).size() == 22);
        assertEquals(ids(1, 22), ClusterTestSupport.ids(messages(pa, ch0)));
    }

    @Test
    void channelMessagesPublishedOnANodeWithoutReadersStillReachTheOthersAsOneBatch() {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        String ch = channelOn(2, "batch");
        Page pb = b.open("pb");
        pb.subscribe(ch);
        a.publishAll(ch, numbers(30));
        Await.until("30 messages on b", () -> messages(pb, ch).size() == 30);
        assertEquals(ids(1, 30), ClusterTestSupport.ids(messages(pb, ch)));
        assertEquals(1, io.halley.core.transport.PageStreams.frames(pb).lastSeq(), "the batch crossed the cluster as one payload");
        assertTrue(hubs.get("a").watchedChannels().isEmpty());
    }

    static List<com.google.gson.JsonObject> messages(Page p, String channel) {
        return ClusterTestSupport.messages(p, channel);
    }

    static List<Long> ids(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(i);
        return out;
    }

    static List<Integer> numbers(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(i);
        return out;
    }
}
