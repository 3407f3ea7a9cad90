package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halley.core.ChannelMessage;
import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.SseFeed;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jii's channels over three web nodes: pages on B and C subscribe over HTTP (cross-origin, from
 * node A's origin); messages published over HTTP on A reach both SSE streams in order, with the
 * same ids on every node, the ids of the shared Redis history.
 */
@Timeout(60)
class ChannelsAcrossWebNodesTest extends WebClusterSupport {

    @Test
    void messagesPublishedOnAReachPagesOnBAndCWithTheSameIds() throws Exception {
        RedisSettings s = redisSettings().build();
        Map<String, WebNode> nodes = webNodes(List.of("a", "b", "c"), n -> runtime(n, s, true));
        WebNode a = nodes.get("a");
        HttpBrowser browser = browser(a.origin()); // a page served by A using B and C

        HttpBrowser.PageRef pb = browser.openPage(nodes.get("b").server());
        HttpBrowser.PageRef pc = browser.openPage(nodes.get("c").server());
        SseFeed sb = browser.sse(pb);
        SseFeed sc = browser.sse(pc);
        assertEquals(0, browser.postOk(pb, "/subscribe", "\"channel\":\"feed\"", 200).get("last").getAsLong());
        assertEquals(0, browser.postOk(pc, "/subscribe", "\"channel\":\"feed\"", 200).get("last").getAsLong());

        HttpBrowser.PageRef pa = browser.openPage(a.server());
        int count = 30;
        for (int i = 0; i < count; i++) browser.postOk(pa, "/publish", "\"channel\":\"feed\",\"data\":{\"n\":" + i + "}", 202);

        Await.until("all " + count + " reach B and C", () -> sb.messages("feed").size() == count && sc.messages("feed").size() == count);
        List<Long> historyIds = a.halley.history("feed", 0).stream().map(ChannelMessage::id).collect(Collectors.toList());
        assertEquals(count, historyIds.size());
        assertEquals(historyIds, sb.ids("feed"), "B delivers the ids of the shared history");
        assertEquals(historyIds, sc.ids("feed"), "C delivers the same ids");
        assertIncreasing(historyIds, "ids");
        for (SseFeed st : List.of(sb, sc)) {
            List<Integer> ns = st.messages("feed").stream().map(m -> m.getAsJsonObject("data").get("n").getAsInt())
                    .collect(Collectors.toList());
            assertEquals(java.util.stream.IntStream.range(0, count).boxed().collect(Collectors.toList()), ns, "in publish order");
        }
    }
}
