package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.testing.Await;
import io.halley.testing.RedisSentinels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis Sentinel (1 master, 1 replica, 3 sentinels, local): two nodes on a
 * {@code redis-sentinel://} URI; the master is killed under a channel feed published every 50 ms
 * from node A; the sentinels promote the replica, every connection finds the new master, and
 * every publish that returned normally reaches the page on node B once, in order (live or from
 * the history after re-subscribing).
 */
@Timeout(120)
class SentinelFailoverTest extends ClusterTestSupport {

    @Test
    void killingTheMasterUnderAChannelFeedLosesNothingThatWasPublished() throws Exception {
        RedisSentinels set = closeLater(RedisSentinels.launch()); // closed after the nodes
        {
            RedisSettings s = RedisSettings.builder().uri(set.uri()).commandTimeout(Duration.ofSeconds(2))
                    .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).visibilityTimeout(Duration.ofSeconds(1)).build();
            Halley a = node("a", s);
            Halley b = node("b", s);
            Page page = b.open("reader");
            page.subscribe("feed");
            List<String> pool = new CopyOnWriteArrayList<>(); // what a GLOBAL pool member on b saw
            b.open("member").cometGlobal(c -> {
                while (true) {
                    Object m = c.receive();
                    if (m instanceof Integer n) pool.add(Integer.toString(n));
                    else if (m instanceof PoolMessage.Gap) pool.add("gap");
                }
            }, "chat");
            Await.until("the member is in", () -> b.poolMembers(Scope.GLOBAL, null, "chat") == 1);

            Map<Integer, String> outcome = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            int[] next = {0};
            Thread publisher = new Thread(() -> {
                while (!stop.get()) {
                    int n = next[0]++;
                    a.sendGlobal("chat", n);
                    try {
                        a.publish("feed", Map.of("n", n));
                        outcome.put(n, "ok");
                    } catch (RuntimeException e) {
                        outcome.put(n, e.toString());
                    }
                    Await.pause(50);
                }
            }, "test-publisher");
            publisher.start();
            try {
                Await.until("the feed flows", () -> received(page).size() >= 10);
                set.killMaster();
                Await.until("the sentinels promoted the replica", Duration.ofSeconds(30), set::replicaIsMaster);
                int after = next[0] + 20;
                Await.until("a message published after the fail-over reaches b", Duration.ofSeconds(30),
                        () -> received(page).stream().anyMatch(n -> n >= after));
            } finally {
                stop.set(true);
                publisher.join(10_000);
            }
            int last = next[0] - 1;
            Await.until("the last message reaches b", Duration.ofSeconds(10), () -> received(page).contains(last)
                    || !"ok".equals(outcome.get(last)));
            List<Integer> got = received(page);
            ClusterChecks.assertNoDuplicates(got, "messages on the page");
            for (int i = 1; i < got.size(); i++) {
                if (got.get(i) < got.get(i - 1)) throw new AssertionError("out of order: " + got);
            }
            List<Integer> lost = outcome.entrySet().stream().filter(e -> e.getValue().equals("ok")).map(Map.Entry::getKey)
                    .filter(n -> !got.contains(n)).sorted().collect(Collectors.toList());
            long failed = outcome.values().stream().filter(v -> !v.equals("ok")).count();
            System.err.println("sentinel fail-over: " + outcome.size() + " publishes, " + failed + " failed loudly, "
                    + got.size() + " delivered");
            assertEquals(List.of(), lost, "published (no exception) but not delivered");
            Await.until("the pool member got the last line", Duration.ofSeconds(10), () -> pool.contains(Integer.toString(last)));
            int expected = 0;
            boolean gap = false;
            for (String e : pool) {
                if (e.equals("gap")) {
                    gap = true;
                    continue;
                }
                int n = Integer.parseInt(e);
                if (n < expected || (n > expected && !gap)) throw new AssertionError("pool lines not once in order: " + pool);
                expected = n + 1;
                gap = false;
            }
            System.err.println("sentinel fail-over, pool member saw " + pool.size() + " entries, gaps: "
                    + pool.stream().filter("gap"::equals).count());
            page.close();
        }
    }

    private static List<Integer> received(Page p) {
        List<Integer> out = new ArrayList<>();
        for (var m : messages(p, "feed")) out.add(m.getAsJsonObject("data").get("n").getAsInt());
        return out;
    }
}
