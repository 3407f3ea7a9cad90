package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.SseFeed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis loses its data while a tab is away: the tab comes back (a new page on a node that
 * restarted) and subscribes from the last id it saw, which the emptied history no longer has. It
 * is told with a {@code channelrestart} command and then gets every message published after. No
 * node lived through the loss, so nobody knew the old epoch and the ids start again at 1: without
 * the restart the tab would have waited for ids above the old ones and missed the first new
 * messages. Real redis-server, real Jetty.
 */
@Timeout(60)
class ChannelRestartOnRedisTest extends WebClusterSupport {

    @Test
    void aTabResubscribingAfterRedisLostItsDataGetsARestartEventAndEveryNewMessage() throws Exception {
        RedisSettings s = redisSettings().commandTimeout(Duration.ofSeconds(1)).build();
        Map<String, WebNode> before = webNodes(List.of("a"), n -> runtime(n, s, true));
        WebNode a = before.get("a");
        for (int i = 1; i <= 5; i++) a.halley.publish("feed", "old " + i);
        long lastSeen = a.halley.history("feed", 0).get(4).id();

        redis.kill();
        redis.start(); // empty: the history and the channel's counter are gone
        Map<String, WebNode> after = webNodes(List.of("b"), n -> runtime(n, s, true)); // the restarted node
        WebNode b = after.get("b");
        HttpBrowser browser = browser(b.origin());
        HttpBrowser.PageRef p = browser.openPage(b.server());
        SseFeed sse = browser.sse(p);
        browser.postOk(p, "/subscribe", "\"channel\":\"feed\",\"since\":" + lastSeen, 200);
        Await.until("the restart event", () -> !sse.commands(c -> SseFeed.op(c, "channelrestart")).isEmpty());
        JsonObject restart = sse.commands(c -> SseFeed.op(c, "channelrestart")).get(0);
        assertEquals("feed", restart.get("channel").getAsString());
        assertEquals(lastSeen, restart.get("since").getAsLong());

        for (int i = 1; i <= 10; i++) b.halley.publish("feed", "new " + i);
        Await.until("all 10 new messages", () -> sse.messages("feed").size() == 10);
        assertIncreasing(sse.ids("feed"), "ids after the data loss");
        List<String> data = sse.messages("feed").stream().map(m -> m.get("data").getAsString()).toList();
        assertEquals(List.of("new 1", "new 2", "new 3", "new 4", "new 5", "new 6", "new 7", "new 8", "new 9", "new 10"), data);
        assertTrue(sse.ids("feed").get(0) <= lastSeen, "the numbering restarted (else this test shows nothing): " + sse.ids("feed"));
    }
}
