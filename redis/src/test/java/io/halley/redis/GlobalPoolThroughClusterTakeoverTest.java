package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import io.halley.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A chat over a GLOBAL pool on three nodes of a Redis Cluster with replicas (3 masters, 3
 * replicas, {@code cluster-node-timeout} 2 s) while the master holding the pools' recorded topic
 * (its Redis Stream, {@code halley:hub:{halley.pools}:log}) is killed (SIGKILL) and its replica
 * takes over. Two publishers on different nodes send numbered lines all along; their sends are
 * held while the stream's master is gone and sent again. Every member gets every line of each
 * publisher once and in order, or, where the old master took entries it had not replicated, a
 * {@link PoolMessage.Gap} before the hole; never silence, never a line twice.
 */
@Timeout(150)
class GlobalPoolThroughClusterTakeoverTest extends RedisClusterTestSupport {
    /** What one member saw, in order: "from:n" per line, "gap" per Gap. */
    private final Map<String, List<String>> seen = new ConcurrentHashMap<>();

    @Override
    protected RedisCluster launchCluster() throws IOException {
        return RedisCluster.launchWithReplicas();
    }

    @Test
    void everyMemberGetsEveryLineOnceInOrderOrAGapWhileAReplicaTakesOverThePoolsStream() throws Exception {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        Halley c = node("c", s);
        List<Page> pages = new ArrayList<>();
        for (Halley h : List.of(a, b, c)) {
            Page p = h.open("user-" + h.config().nodeId());
            p.cometGlobal(GlobalPoolThroughRedisFaultsTest.member(h.config().nodeId(), seen), "chat");
            pages.add(p);
        }
        Await.until("a member on each node", () -> a.poolMembers(Scope.GLOBAL, null, "chat") == 1
                && b.poolMembers(Scope.GLOBAL, null, "chat") == 1 && c.poolMembers(Scope.GLOBAL, null, "chat") == 1);
        int master = RedisCluster.masterOf("halley:hub:{halley.pools}:log");
        int replica = cluster.replicaOf(master);

        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicInteger> sent = Map.of("pa", new AtomicInteger(), "pc", new AtomicInteger());
        List<Thread> publishers = new ArrayList<>();
        for (var e : Map.of("pa", a, "pc", c).entrySet()) {
            Thread t = new Thread(() -> {
                AtomicInteger n = sent.get(e.getKey());
                while (!stop.get()) {
                    e.getValue().sendGlobal("chat", new GlobalPoolThroughRedisFaultsTest.Line(e.getKey(), n.get()));
                    n.incrementAndGet();
                    Await.pause(10);
                }
            }, "test-takeover-pool-publisher-" + e.getKey());
            publishers.add(t);
            t.start();
        }
        long killedAt;
        try {
            Await.until("lines flow", Duration.ofSeconds(20), () -> seen.values().stream().allMatch(l -> l.size() > 20));
            cluster.kill(master);
            killedAt = System.nanoTime();
            Await.until("replica " + replica + " promoted by the cluster", Duration.ofSeconds(30), () -> cluster.isMaster(replica));
            System.err.println("pools' stream: replica " + replica + " master after " + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
            Map<String, Integer> atPromotion = new ConcurrentHashMap<>();
            seen.forEach((k, v) -> atPromotion.put(k, v.size()));
            Await.until("lines flow again on the promoted replica", Duration.ofSeconds(40),
                    () -> seen.entrySet().stream().allMatch(e -> e.getValue().size() > atPromotion.get(e.getKey()) + 20));
        } finally {
            stop.set(true);
            for (Thread t : publishers) t.join(10_000);
        }
        Map<String, Integer> last = new ConcurrentHashMap<>();
        sent.forEach((k, v) -> last.put(k, v.get() - 1));
        Await.until("every member has every publisher's last line " + last, Duration.ofSeconds(30), () -> {
            for (List<String> log : seen.values()) {
                for (var e : last.entrySet()) if (!log.contains(e.getKey() + ":" + e.getValue())) return false;
            }
            return true;
        });
        for (var e : seen.entrySet()) GlobalPoolThroughRedisFaultsTest.checkOnceInOrder(e.getKey(), e.getValue(), true);
        long gaps = seen.values().stream().filter(l -> l.contains("gap")).count();
        int total = sent.values().stream().mapToInt(AtomicInteger::get).sum();
        System.err.println("pool through a cluster take-over: " + total + " lines sent, " + gaps + " of " + seen.size()
                + " members told of a gap");
        assertEquals(3, seen.size());
        assertTrue(total > 100, "lines sent: " + total);
        for (Page p : pages) p.close();
    }
}
