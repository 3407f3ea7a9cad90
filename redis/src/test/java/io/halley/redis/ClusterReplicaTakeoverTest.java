package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A master of a Redis Cluster with replicas (3 masters, 3 replicas, {@code cluster-node-timeout}
 * 2 s) is killed (SIGKILL) under a live channel feed: its replica takes over (the cluster's own
 * fail-over; {@code CLUSTER FAILOVER TAKEOVER} on the replica only if that has not happened within
 * 20 s, and the test says which), the publisher's failed publishes are sent again, and the reader
 * on another node gets every message once and in order — or, where the old master took writes it
 * had not replicated, an explicit {@code resync} / {@code channelrestart}; never silence. A
 * channel on another master flows all along.
 */
@Timeout(150)
class ClusterReplicaTakeoverTest extends RedisClusterTestSupport {

    @Override
    protected RedisCluster launchCluster() throws IOException {
        return RedisCluster.launchWithReplicas();
    }

    @Test
    void aReplicaTakesOverAKilledMasterAndTheChannelFeedGoesOn() throws Exception {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        String first = channelOn(0, "feed");
        String other = channelOn(1, "feed");
        Page reader = b.open("reader");
        reader.subscribe(first);
        reader.subscribe(other);
        int replica = cluster.replicaOf(0);

        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicInteger> sent = Map.of(first, new AtomicInteger(), other, new AtomicInteger());
        Set<String> retried = ConcurrentHashMap.newKeySet(); // channel/n whose publish failed at least once
        List<Thread> publishers = new ArrayList<>();
        for (String ch : List.of(first, other)) {
            publishers.add(new Thread(() -> {
                for (int n = 0; !stop.get(); n++) {
                    if (!publishUntilTaken(a, ch, n, stop, retried)) break;
                    sent.get(ch).set(n + 1);
                    Await.pause(20);
                }
            }, "test-takeover-publisher-" + ch));
        }
        publishers.forEach(Thread::start);
        boolean automatic;
        long killedAt;
        try {
            Await.until("traffic flows", Duration.ofSeconds(20), () -> messages(reader, first).size() > 10);
            cluster.kill(0);
            killedAt = System.nanoTime();
            int otherAtKill = sent.get(other).get();
            automatic = awaitPromotion(replica, Duration.ofSeconds(20));
            System.err.println("replica " + replica + " master after " + (System.nanoTime() - killedAt) / 1_000_000 + " ms ("
                    + (automatic ? "the cluster's own fail-over" : "CLUSTER FAILOVER TAKEOVER") + ")");
            int after = sent.get(first).get();
            Await.until("traffic flows again on the promoted replica", Duration.ofSeconds(40),
                    () -> messages(reader, first).size() > after + 10 || resyncs(reader) > 0);
            assertTrue(sent.get(other).get() > otherAtKill + 20, "the other master's channel kept going");
            assertTrue(cluster.shardChannels(replica).contains(shard(first)),
                    "b subscribes to " + first + " on the promoted replica: " + cluster.shardChannels(replica));
        } finally {
            stop.set(true);
            for (Thread t : publishers) t.join(10_000);
        }
        for (String ch : List.of(first, other)) {
            int total = sent.get(ch).get();
            Await.until("all " + total + " of " + ch + " or a resync", Duration.ofSeconds(30),
                    () -> numbers(reader, ch).stream().distinct().count() >= total || resyncs(reader) > 0);
            List<Integer> got = numbers(reader, ch);
            ClusterChecks.assertIncreasing(ClusterTestSupport.ids(messages(reader, ch)), ch + " ids");
            List<Integer> distinct = got.stream().distinct().collect(Collectors.toList());
            for (int i = 1; i < got.size(); i++) {
                if (got.get(i).equals(got.get(i - 1))) {
                    assertTrue(retried.contains(ch + "/" + got.get(i)), ch + ": " + got.get(i) + " twice, but its publish never failed");
                }
            }
            if (resyncs(reader) == 0) {
                assertEquals(ShardedChannelsOnClusterTest.numbers(total), distinct, ch + ": every message once, in order");
            } else {
                System.err.println(ch + ": resync after the take-over; " + distinct.size() + " of " + total + " delivered");
                for (int i = 1; i < distinct.size(); i++) assertTrue(distinct.get(i) > distinct.get(i - 1), ch + " in order: " + distinct);
            }
        }
        System.err.println("cluster replica take-over: " + sent.get(first) + " on the killed master's channel, " + retried.size()
                + " publishes retried, " + resyncs(reader) + " resyncs");
    }

    /** Waits for the cluster to promote {@code replica}; after {@code automatic}, forces it. True if it happened by itself. */
    private boolean awaitPromotion(int replica, Duration automatic) {
        try {
            Await.until("replica " + replica + " promoted by the cluster", automatic, () -> cluster.isMaster(replica));
            return true;
        } catch (AssertionError e) {
            String out = cluster.cli(replica, "CLUSTER", "FAILOVER", "TAKEOVER");
            Await.until("replica " + replica + " master after TAKEOVER (" + out.trim() + ")", Duration.ofSeconds(20),
                    () -> cluster.isMaster(replica));
            return false;
        }
    }

    /** Publishes until the cluster takes it; false if stopped first. */
    private static boolean publishUntilTaken(Halley h, String ch, int n, AtomicBoolean stop, Set<String> retried) {
        while (!stop.get()) {
            try {
                h.publish(ch, Map.of("n", n));
                return true;
            } catch (RuntimeException e) {
                retried.add(ch + "/" + n);
                Await.pause(100);
            }
        }
        return false;
    }

    private static long resyncs(Page p) {
        return ClusterTestSupport.commands(p).stream()
                .filter(c -> Set.of("resync", "channelrestart").contains(c.get("op").getAsString())).count();
    }

    private static List<Integer> numbers(Page p, String ch) {
        return messages(p, ch).stream().map(m -> m.getAsJsonObject("data").get("n").getAsInt()).collect(Collectors.toList());
    }

    private static List<JsonObject> messages(Page p, String ch) {
        return ClusterTestSupport.messages(p, ch);
    }
}
