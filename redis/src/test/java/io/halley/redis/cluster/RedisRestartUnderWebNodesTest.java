package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.SseFeed;
import java.time.Duration;
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
 * Redis is killed mid-stream and started again on the same port, empty: the browsers' SSE streams
 * on the web nodes stay open (Redis is behind the nodes, not in front of the clients), the nodes
 * reconnect, and delivery goes on over the same streams with ids still increasing and no
 * duplicate; every publish that returned normally is delivered on every live stream (a node that
 * was still re-subscribing catches up from the history once subscribed again: no silent gap), the
 * others failed loudly. Browsers can publish over HTTP again afterwards.
 */
@Timeout(90)
class RedisRestartUnderWebNodesTest extends WebClusterSupport {

    @Test
    void deliveryToPagesOnOtherNodesContinuesAfterRedisRestarts() throws Exception {
        RedisSettings s = redisSettings().commandTimeout(Duration.ofSeconds(1)).build();
        Map<String, WebNode> nodes = webNodes(List.of("a", "b"), n -> runtime(n, s, true));
        WebNode a = nodes.get("a");
        WebNode b = nodes.get("b");
        HttpBrowser browser = browser(a.origin());
        HttpBrowser.PageRef pb = browser.openPage(b.server());
        SseFeed sb = browser.sse(pb);
        browser.postOk(pb, "/subscribe", "\"channel\":\"feed\"", 200);
        HttpBrowser.PageRef pa = browser.openPage(a.server());
        SseFeed sa = browser.sse(pa);
        browser.postOk(pa, "/subscribe", "\"channel\":\"feed\"", 200);

        Map<Integer, String> outcome = new ConcurrentHashMap<>();
        for (int n = 0; n < 5; n++) publish(a.halley, n, outcome);
        Await.until("first 5 on both streams", () -> sb.messages("feed").size() == 5 && sa.messages("feed").size() == 5);
        long lastIdBefore = sb.ids("feed").get(4);

        AtomicBoolean stop = new AtomicBoolean();
        int[] next = {5};
        Thread publisher = new Thread(() -> {
            while (!stop.get()) {
                publish(a.halley, next[0]++, outcome);
                Await.pause(50);
            }
        }, "test-publisher");
        redis.kill();
        publisher.start();
        Await.pause(2000); // publishes wait for Redis and fail after the 1 s command timeout
        redis.start();
        Await.until("a message published after the restart reaches the stream on b", Duration.ofSeconds(30),
                () -> received(sb).stream().anyMatch(n -> n >= 5));
        Await.pause(500);
        stop.set(true);
        publisher.join(10_000);

        // a browser publishes over HTTP again, on a; both streams get it, still on their first connection
        browser.postOk(pa, "/publish", "\"channel\":\"feed\",\"data\":{\"n\":1000}", 202);
        Await.until("the HTTP publish after the restart reaches both streams", () -> received(sb).contains(1000) && received(sa).contains(1000));
        assertFalse(sb.ended() || sa.ended(), "the SSE streams stayed open through the Redis restart");

        for (SseFeed st : List.of(sa, sb)) {
            List<Long> ids = st.ids("feed");
            assertIncreasing(ids, "ids on " + st.page().server());
            assertNoDuplicates(ids, "ids on " + st.page().server());
        }
        // a message published while a node was still re-subscribing missed that node's pub/sub but
        // not the history: once the hub has subscribed again the node catches up, so every publish
        // that returned normally reaches every live stream (no silent gap)
        List<Integer> ok = outcome.entrySet().stream().filter(e -> e.getValue().equals("ok")).map(Map.Entry::getKey)
                .sorted().collect(Collectors.toList());
        for (SseFeed st : List.of(sa, sb)) {
            Await.until("every successful publish delivered on " + st.page().server(), Duration.ofSeconds(10),
                    () -> new HashSet<>(received(st)).containsAll(ok));
            List<Integer> gaps = ok.stream().filter(n -> !received(st).contains(n)).collect(Collectors.toList());
            assertEquals(List.of(), gaps, "published without an exception but not delivered on " + st.page().server() + ": " + outcome);
        }
        assertTrue(outcome.values().stream().anyMatch(v -> v.startsWith("RedisUnavailableException")),
                "publishes during the outage fail loudly: " + outcome);
        System.err.println("restart under web nodes: " + outcome.size() + " publishes; a got " + received(sa) + "; b got " + received(sb));
    }

    private static void publish(Halley node, int n, Map<Integer, String> outcome) {
        try {
            node.publish("feed", Map.of("n", n));
            outcome.put(n, "ok");
        } catch (RuntimeException e) {
            outcome.put(n, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static List<Integer> received(SseFeed s) {
        return s.messages("feed").stream().map(m -> m.getAsJsonObject("data").get("n").getAsInt()).collect(Collectors.toList());
    }
}
