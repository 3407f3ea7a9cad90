package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halley.core.Halley;
import io.halley.core.comet.CometFunction;
import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.SseFeed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nitrogen's chat across two web nodes: each page (opened over HTTP) runs a comet function in one
 * GLOBAL pool {@code chat}; a line said on node A (a streamed callback calling
 * {@code sendGlobal}) reaches the page on node B through its SSE stream, read by a real HTTP
 * client, and the other way round; membership ({@code Join}) crosses nodes too.
 */
@Timeout(60)
class ChatAcrossWebNodesTest extends WebClusterSupport {

    /** Writes each chat line and membership event of its pool to {@code #log}. */
    private static final CometFunction CHATTER = c -> {
        c.text("#log", "in").flush();
        while (true) {
            Object m = c.receive();
            if (m instanceof String) c.text("#log", (String) m).flush();
            else if (m instanceof PoolMessage.Join) c.text("#log", "join").flush();
            else if (m instanceof PoolMessage.Leave) c.text("#log", "leave").flush();
        }
    };

    private static void chatCallbacks(Halley h) {
        h.register("join", (r, args) -> {
            r.page().cometGlobal(CHATTER, "chat");
            return null;
        });
        h.register("say", (r, args) -> {
            h.sendGlobal("chat", args.get(0).getAsString() + ": " + args.get(1).getAsString());
            return null;
        });
    }

    @Test
    void aLineSaidOnNodeAReachesAPageStreamOnNodeBAndBack() throws Exception {
        RedisSettings s = redisSettings().build();
        Map<String, WebNode> nodes = webNodes(List.of("a", "b"), n -> {
            Halley h = runtime(n, s, true);
            chatCallbacks(h);
            return h;
        });
        WebNode a = nodes.get("a");
        WebNode b = nodes.get("b");

        HttpBrowser alice = browser(a.origin());
        HttpBrowser.PageRef pa = alice.openPage(a.server());
        SseFeed sa = alice.sse(pa);
        alice.postOk(pa, "/call/join", "\"args\":[]", 202);
        Await.until("alice's function runs on a", () -> sa.texts("#log").contains("in"));

        HttpBrowser bob = browser(b.origin());
        HttpBrowser.PageRef pb = bob.openPage(b.server());
        SseFeed sb = bob.sse(pb);
        bob.postOk(pb, "/call/join", "\"args\":[]", 202);
        Await.until("bob's function runs on b", () -> sb.texts("#log").contains("in"));
        Await.until("alice on a hears bob join on b", () -> sa.texts("#log").contains("join"));
        assertEquals(1, a.halley.poolMembers(Scope.GLOBAL, null, "chat"));
        assertEquals(1, b.halley.poolMembers(Scope.GLOBAL, null, "chat"));

        alice.postOk(pa, "/call/say", "\"args\":[\"alice\",\"hello bob\"]", 202);
        Await.until("bob's stream on b carries alice's line said on a", () -> sb.texts("#log").contains("alice: hello bob"));
        bob.postOk(pb, "/call/say", "\"args\":[\"bob\",\"hi alice\"]", 202);
        Await.until("alice's stream on a carries bob's answer", () -> sa.texts("#log").contains("bob: hi alice"));
        Await.until("each hears its own line too (sender included)", () -> sa.texts("#log").contains("alice: hello bob")
                && sb.texts("#log").contains("bob: hi alice"));

        Thread.sleep(200); // nothing more is on its way
        for (SseFeed st : List.of(sa, sb)) {
            List<String> log = st.texts("#log");
            assertEquals(1, log.stream().filter("alice: hello bob"::equals).count(), "once: " + log);
            assertEquals(1, log.stream().filter("bob: hi alice"::equals).count(), "once: " + log);
        }
    }
}
