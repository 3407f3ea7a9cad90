package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.comet.Comet;
import io.halley.core.comet.CometFunction;
import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import io.halley.testing.Await;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A GLOBAL pool spans nodes through {@link RedisHub}: a chat between functions on two nodes. */
@Timeout(60)
class GlobalPoolAcrossNodesTest extends ClusterTestSupport {

    /** A chat line: a user object, rebuilt as this class on the receiving node. */
    record Line(String from, String text) {
    }

    /** Writes every pool event to {@code #log} as text, and says hello once it is in the pool. */
    private static CometFunction chatter(String name) {
        return (Comet c) -> {
            c.text("#me", c.member().id()).flush();
            while (true) {
                Object m = c.receive();
                if (m instanceof PoolMessage.Init) {
                    c.text("#log", "init").flush();
                    c.send(new Line(name, "hello from " + name));
                } else if (m instanceof PoolMessage.Join) {
                    c.text("#log", "join " + ((PoolMessage.Join) m).member().id()).flush();
                    c.send(new Line(name, name + " welcomes " + ((PoolMessage.Join) m).member().id()));
                } else if (m instanceof PoolMessage.Leave) {
                    c.text("#log", "leave " + ((PoolMessage.Leave) m).member().id()).flush();
                } else if (m instanceof Line) {
                    Line l = (Line) m;
                    c.text("#log", l.from() + ": " + l.text()).flush();
                } else {
                    c.text("#log", "other " + m).flush();
                }
            }
        };
    }

    @Test
    void chatSpansNodesWithJoinAndLeave() {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);

        Page pa = a.open("alice");
        pa.cometGlobal(chatter("alice"), "chat");
        Await.until("alice's function is in the pool", () -> a.poolMembers(Scope.GLOBAL, null, "chat") == 1
                && texts(pa, "#log").contains("alice: hello from alice"));
        String aliceId = texts(pa, "#me").get(0);

        Page pb = b.open("bob");
        pb.cometGlobal(chatter("bob"), "chat");
        Await.until("bob is in", () -> !texts(pb, "#me").isEmpty());
        String bobId = texts(pb, "#me").get(0);

        // bob is first on node b (Init there), alice hears of him (Join from the other node) and welcomes him
        Await.until("alice saw bob join and bob's hello", () -> texts(pa, "#log").containsAll(
                List.of("join " + bobId, "bob: hello from bob")));
        Await.until("bob got alice's welcome and his own hello", () -> texts(pb, "#log").containsAll(
                List.of("init", "bob: hello from bob", "alice: alice welcomes " + bobId)));

        // a send from outside any function, on node b, reaches members on both nodes
        b.sendGlobal("chat", new Line("system", "maintenance at noon"));
        Await.until("both got the system line", () -> texts(pa, "#log").contains("system: maintenance at noon")
                && texts(pb, "#log").contains("system: maintenance at noon"));

        // bob's page dies on node b: alice on node a gets Leave
        pb.close();
        Await.until("alice saw bob leave", () -> texts(pa, "#log").contains("leave " + bobId));
        assertEquals(0, b.poolMembers(Scope.GLOBAL, null, "chat"));

        List<String> aliceLog = texts(pa, "#log");
        assertEquals(1, aliceLog.stream().filter("alice: hello from alice"::equals).count(), "each message once: " + aliceLog);
        assertEquals(1, aliceLog.stream().filter("system: maintenance at noon"::equals).count(), "each message once: " + aliceLog);
        assertTrue(aliceLog.stream().noneMatch(l -> l.startsWith("other ")), "lines arrive as Line objects: " + aliceLog);
        assertTrue(aliceLog.stream().noneMatch(l -> l.equals("leave " + aliceId) || l.equals("join " + aliceId)),
                "a member does not hear of itself: " + aliceLog);
    }
}
