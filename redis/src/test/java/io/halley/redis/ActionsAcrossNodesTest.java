package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.testing.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server actions through {@link RedisQueue}: any node runs them, and a dead node's action runs again elsewhere. */
@Timeout(60)
class ActionsAcrossNodesTest extends ClusterTestSupport {

    @Test
    void aListenOnlyNodeRunsActionsAndTheReplyReachesAPageOnAnotherNode() {
        RedisSettings s = settings().build();
        Halley web = node("web", s, new ProducerOnlyQueue(new RedisQueue(s))); // pages, no handlers, runs nothing
        Halley worker = node("worker", s);                                      // no pages at all
        Map<String, Integer> ranOn = new ConcurrentHashMap<>();
        worker.action("sum", params -> {
            ranOn.merge("worker", 1, Integer::sum);
            int total = 0;
            for (JsonElement e : params.getAsJsonArray()) total += e.getAsInt();
            return total;
        });
        Page page = web.open("browser");
        for (int i = 1; i <= 5; i++) web.request(page.id(), "r" + i, "sum", numbers(i, 10 * i));

        Await.until("5 replies on the web node's page", () -> replies(page).size() == 5);
        Map<String, JsonObject> byRequest = replies(page).stream().collect(Collectors.toMap(r -> r.get("request").getAsString(), r -> r));
        for (int i = 1; i <= 5; i++) {
            JsonObject r = byRequest.get("r" + i);
            assertTrue(r != null && !r.has("error"), "reply r" + i + ": " + r);
            assertEquals(11 * i, r.get("result").getAsInt());
        }
        assertEquals(Map.of("worker", 5), ranOn);
        assertEquals(0, worker.pageCount(), "the worker node is listen-only");
        assertQueueEmpty(s);
    }

    @Test
    void anActionWhoseWorkerDiesMidRunIsRunAgainByAnotherNode() throws Exception {
        RedisSettings s = settings().visibilityTimeout(Duration.ofSeconds(1)).build();
        Halley web = node("web", s, new ProducerOnlyQueue(new RedisQueue(s)));
        RedisHub hubB = new RedisHub(s);
        RedisQueue queueB = new RedisQueue(s);
        Halley b = closeLater(Halley.builder().nodeId("b").hub(hubB).history(new RedisChannelHistory(s)).queue(queueB).build().start());
        CountDownLatch bStarted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        b.action("slow", params -> {
            bStarted.countDown();
            never.await(30, TimeUnit.SECONDS); // hangs until the node is torn down
            return "done by b";
        });
        Page page = web.open("browser");
        web.request(page.id(), "r1", "slow", numbers(1));
        assertTrue(bStarted.await(10, TimeUnit.SECONDS), "node b took the action");

        // node c starts only now, so b is the one holding the action; then b dies without acknowledging
        Halley c = node("c", s);
        CountDownLatch cRan = new CountDownLatch(1);
        c.action("slow", params -> {
            cRan.countDown();
            return "done by c";
        });
        Await.pause(1500); // b keeps renewing: nobody takes the action while b is alive
        assertEquals(1, cRan.getCount(), "a live node's action is not taken over");
        long diedAt = System.nanoTime();
        queueB.simulateCrash();
        hubB.close(); // the whole of b is gone from Redis's point of view

        assertTrue(cRan.await(10, TimeUnit.SECONDS), "node c ran the dead node's action");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - diedAt);
        // b renewed every third of the timeout, so the take-over comes one timeout after its last renewal
        assertTrue(tookMs >= 600, "taken over only once b stopped renewing for a visibility timeout, was " + tookMs + " ms");
        Await.until("c's reply reached the page on the web node", () -> replies(page).size() == 1);
        assertEquals("done by c", replies(page).get(0).get("result").getAsString());
        assertQueueEmpty(s);
        Await.pause(300);
        assertEquals(1, replies(page).size(), "one reply: " + replies(page));
    }

    private static JsonArray numbers(int... values) {
        JsonArray a = new JsonArray();
        for (int v : values) a.add(v);
        return a;
    }

    private static List<JsonObject> replies(Page page) {
        return commands(page).stream().filter(c -> "reply".equals(c.get("op").getAsString())).collect(Collectors.toList());
    }

    /** Done actions are acknowledged and deleted: the stream and its pending list end up empty. */
    private void assertQueueEmpty(RedisSettings s) {
        RedisClient client = RedisClient.create(s.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            String stream = s.keyPrefix() + "queue";
            Await.until("queue stream emptied", () -> c.sync().xlen(stream) == 0
                    && c.sync().xpending(stream, RedisQueue.GROUP).getCount() == 0);
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
