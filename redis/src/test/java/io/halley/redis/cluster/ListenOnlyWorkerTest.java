package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.SseFeed;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jii's listen-only mode: the web nodes are built with {@code consumeActions(false)} and know no
 * action handler; a node with no servlet and no page consumes the Redis queue and is the only one
 * with the handler. {@code POST /halley/action/sum} on node A queues the action, the worker runs
 * it, and the reply reaches the page's SSE stream on A as a {@code reply} command.
 *
 * <p>An action whose worker dies mid-run and is run again by another node is proven at core level
 * by {@code io.halley.redis.ActionsAcrossNodesTest.anActionWhoseWorkerDiesMidRunIsRunAgainByAnotherNode}
 * (the web endpoint only queues; the queue is the same).
 */
@Timeout(60)
class ListenOnlyWorkerTest extends WebClusterSupport {

    @Test
    void aListenOnlyNodeRunsQueuedActionsAndTheReplyReachesThePageOnNodeA() throws Exception {
        RedisSettings s = redisSettings().build();
        Map<String, WebNode> nodes = webNodes(List.of("a", "b"), n -> runtime(n, s, false));
        Halley worker = runtime("worker", s, true);
        Map<String, Integer> ranOn = new ConcurrentHashMap<>();
        worker.action("sum", params -> {
            ranOn.merge("worker", 1, Integer::sum);
            int total = 0;
            for (JsonElement e : params.getAsJsonArray()) total += e.getAsInt();
            return total;
        });

        WebNode a = nodes.get("a");
        HttpBrowser browser = browser(a.origin());
        HttpBrowser.PageRef pa = browser.openPage(a.server());
        SseFeed sa = browser.sse(pa);
        for (int i = 1; i <= 5; i++) {
            JsonObject queued = browser.postOk(pa, "/action/sum", "\"params\":[" + i + "," + (10 * i) + "],\"request\":\"r" + i + "\"", 202);
            assertEquals("r" + i, queued.get("request").getAsString());
        }
        Await.until("5 replies on the stream on a", () -> replies(sa).size() == 5);
        Map<String, JsonObject> byRequest = replies(sa).stream().collect(Collectors.toMap(r -> r.get("request").getAsString(), r -> r));
        for (int i = 1; i <= 5; i++) {
            JsonObject r = byRequest.get("r" + i);
            assertFalse(r.has("error") && !r.get("error").isJsonNull(), "reply r" + i + ": " + r);
            assertEquals(11 * i, r.get("result").getAsInt(), "reply r" + i);
        }
        assertEquals(Map.of("worker", 5), ranOn, "only the worker ran them");
        assertEquals(0, worker.pageCount(), "the worker has no page");
        Thread.sleep(300);
        assertEquals(5, replies(sa).size(), "one reply each: " + replies(sa));
    }

    private static List<JsonObject> replies(SseFeed s) {
        return s.commands(c -> SseFeed.op(c, "reply"));
    }
}
