package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis is killed mid-stream and started again on the same port with none of its data: the nodes
 * reconnect and re-subscribe, delivery goes on, ids keep increasing, and every message whose publish
 * returned normally is either delivered or found in the history (no silent gap). Actions work again.
 */
@Timeout(90)
class RedisRestartTest extends ClusterTestSupport {

    @Test
    void deliveryResumesAfterRedisRestartsWithoutASilentGap() throws Exception {
        RedisSettings s = settings().commandTimeout(Duration.ofSeconds(1)).build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        b.action("echo", params -> params);
        a.action("echo", params -> params);
        Page pb = b.open("reader");
        pb.subscribe("feed");

        Map<Integer, String> outcome = new ConcurrentHashMap<>(); // n -> "ok" or the failure
        for (int n = 0; n < 5; n++) publish(a, n, outcome);
        Await.until("first 5 delivered", () -> messages(pb, "feed").size() == 5);
        long lastIdBefore = ids(messages(pb, "feed")).get(4);

        AtomicBoolean stop = new AtomicBoolean();
        int[] next = {5};
        Thread publisher = new Thread(() -> {
            while (!stop.get()) {
                publish(a, next[0]++, outcome);
                Await.pause(50);
            }
        }, "test-publisher");
        redis.kill();
        publisher.start();
        Await.pause(2500); // publishes now wait for Redis, and fail after the 1 s command timeout
        redis.start();
        Await.until("a message published after the restart reaches b", Duration.ofSeconds(30), () -> messages(pb, "feed").stream()
                .anyMatch(m -> m.getAsJsonObject("data").get("n").getAsInt() >= 5));
        Await.pause(500);
        stop.set(true);
        publisher.join(10_000);

        int last = next[0];
        for (int n = last; n < last + 3; n++) publish(a, n, outcome);
        Await.until("the last 3 reach b live", () -> received(pb).containsAll(List.of(last, last + 1, last + 2)));

        List<Long> idsB = ids(messages(pb, "feed"));
        assertIncreasing(idsB, "ids seen by the page across the restart");
        assertNoDuplicates(idsB, "ids seen by the page");
        Set<Integer> live = new HashSet<>(received(pb));
        Set<Integer> recoverable = new HashSet<>(live);
        for (ChannelMessage m : b.history("feed", lastIdBefore)) {
            assertTrue(m.id() > lastIdBefore, "history after " + lastIdBefore + " returned id " + m.id());
            recoverable.add(m.data().getAsJsonObject().get("n").getAsInt());
        }
        List<Integer> gaps = outcome.entrySet().stream().filter(e -> e.getValue().equals("ok"))
                .map(Map.Entry::getKey).filter(n -> !recoverable.contains(n)).sorted().collect(Collectors.toList());
        assertEquals(List.of(), gaps, "published (no exception) but neither delivered nor in the history; outcomes " + outcome);
        long failed = outcome.values().stream().filter(v -> !v.equals("ok")).count();
        System.err.println("restart test: " + outcome.size() + " publishes, " + failed + " failed loudly during the outage, "
                + live.size() + " delivered live, " + (recoverable.size() - live.size()) + " more only in the history");
        assertTrue(failed > 0, "publishes held longer than the command timeout fail loudly: " + outcome);
        for (String v : outcome.values()) {
            if (!v.equals("ok") && !v.startsWith("RedisUnavailableException")) fail("unexpected publish failure: " + v);
        }

        // actions work again: the queue's consumer group is created anew on the empty Redis
        JsonArray params = new JsonArray();
        params.add("after restart");
        b.request(pb.id(), "r1", "echo", params);
        Await.until("action reply after the restart", () -> commands(pb).stream().anyMatch(c -> "reply".equals(c.get("op").getAsString())));
        JsonObject reply = commands(pb).stream().filter(c -> "reply".equals(c.get("op").getAsString())).findFirst().orElseThrow();
        assertEquals("after restart", reply.getAsJsonArray("result").get(0).getAsString());
    }

    private static void publish(Halley node, int n, Map<Integer, String> outcome) {
        try {
            node.publish("feed", Map.of("n", n));
            outcome.put(n, "ok");
        } catch (RuntimeException e) {
            outcome.put(n, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static List<Integer> received(Page p) {
        List<Integer> out = new ArrayList<>();
        for (JsonObject m : messages(p, "feed")) out.add(m.getAsJsonObject("data").get("n").getAsInt());
        return out;
    }
}
