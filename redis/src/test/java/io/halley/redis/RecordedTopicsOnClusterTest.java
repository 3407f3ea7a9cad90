package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.comet.Comet;
import io.halley.core.comet.CometFunction;
import io.halley.core.comet.PoolMessage;
import io.halley.core.command.Command;
import io.halley.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recorded hub topics on a 3-master Redis Cluster: a GLOBAL pool chat spanning three nodes,
 * commands for a page held by another node and actions run by a listen-only worker all arrive
 * once and in order; their Redis Streams sit on the masters of their hash-tagged keys.
 */
@Timeout(90)
class RecordedTopicsOnClusterTest extends RedisClusterTestSupport {

    record Line(String from, String text) {
    }

    private static CometFunction chatter(String name) {
        return (Comet c) -> {
            c.text("#me", c.member().id()).flush();
            while (true) {
                Object m = c.receive();
                if (m instanceof PoolMessage.Init) c.text("#log", "init").flush();
                else if (m instanceof Line l) c.text("#log", l.from() + ": " + l.text()).flush();
            }
        };
    }

    @Test
    void aGlobalPoolPageCommandsAndActionsSpanNodesOnTheCluster() {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        Halley c = node("c", s);
        List<Page> pages = new ArrayList<>();
        for (Halley h : List.of(a, b, c)) {
            Page p = h.open("chat-" + pages.size());
            p.cometGlobal(chatter("u" + pages.size()), "chat");
            pages.add(p);
        }
        Await.until("three members in the pool", () -> a.poolMembers(io.halley.core.comet.Scope.GLOBAL, null, "chat") >= 1
                && pages.stream().allMatch(p -> !ClusterTestSupport.texts(p, "#me").isEmpty()));
        Await.pause(300); // the members' joins crossed the cluster
        List<String> said = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Halley from = List.of(a, b, c).get(i % 3);
            from.sendGlobal("chat", new Line("n" + (i % 3), "line " + i));
            said.add("n" + (i % 3) + ": line " + i);
        }
        for (Page p : pages) {
            Await.until("30 lines on " + p.id(), () -> lines(p).size() == 30);
            List<String> got = lines(p);
            for (int from = 0; from < 3; from++) {
                String prefix = "n" + from + ": ";
                assertEquals(said.stream().filter(l -> l.startsWith(prefix)).collect(Collectors.toList()),
                        got.stream().filter(l -> l.startsWith(prefix)).collect(Collectors.toList()),
                        "each sender's lines once and in order on " + p.id());
            }
        }

        // commands for a page on node b, sent from a and c
        Page target = b.open("target");
        for (int i = 0; i < 40; i++) (i % 2 == 0 ? a : c).deliver(target.id(), List.of(new Command.Text("#n", Integer.toString(i))));
        try {
            Await.until("40 commands on the page on b", () -> ClusterTestSupport.texts(target, "#n").size() >= 40);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; got " + ClusterTestSupport.texts(target, "#n"), e);
        }
        List<String> got = ClusterTestSupport.texts(target, "#n");
        assertEquals(40, got.size(), "40 commands: " + got);
        assertEquals(40, got.stream().distinct().count(), "each once: " + got);
        for (String node : List.of("even", "odd")) {
            List<Integer> mine = got.stream().map(Integer::parseInt).filter(n -> n % 2 == (node.equals("even") ? 0 : 1)).collect(Collectors.toList());
            for (int i = 1; i < mine.size(); i++) assertTrue(mine.get(i) > mine.get(i - 1), "one sender's commands in order: " + got);
        }

        // actions: asked on a, run on c (b and a run them too; whoever takes one replies to the page on a)
        Map<String, Integer> ranOn = new ConcurrentHashMap<>();
        for (Halley h : List.of(a, b, c)) {
            String id = h == a ? "a" : h == b ? "b" : "c";
            h.action("sum", params -> {
                ranOn.merge(id, 1, Integer::sum);
                int total = 0;
                for (var e : params.getAsJsonArray()) total += e.getAsInt();
                return total;
            });
        }
        Page asker = a.open("asker");
        for (int i = 1; i <= 6; i++) {
            JsonArray params = new JsonArray();
            params.add(i);
            params.add(10 * i);
            a.request(asker.id(), "r" + i, "sum", params);
        }
        Await.until("6 replies", () -> replies(asker).size() == 6);
        Map<String, JsonObject> byRequest = replies(asker).stream().collect(Collectors.toMap(r -> r.get("request").getAsString(), r -> r));
        for (int i = 1; i <= 6; i++) assertEquals(11 * i, byRequest.get("r" + i).get("result").getAsInt(), "reply r" + i);
        assertEquals(6, ranOn.values().stream().mapToInt(Integer::intValue).sum(), "each action ran once: " + ranOn);

        // the recorded topics' streams live on the masters of their hash-tagged keys
        for (String topic : List.of("halley.pools", "halley.pages")) {
            String key = "halley:hub:{" + topic + "}:log";
            String len = cluster.cli(RedisCluster.masterOf(key), "XLEN", key).trim();
            assertTrue(Long.parseLong(len) > 0, key + " on master " + RedisCluster.masterOf(key) + ": " + len);
        }
    }

    private static List<String> lines(Page p) {
        return ClusterTestSupport.texts(p, "#log").stream().filter(l -> !l.equals("init")).collect(Collectors.toList());
    }

    private static List<JsonObject> replies(Page page) {
        return ClusterTestSupport.commands(page).stream().filter(c -> "reply".equals(c.get("op").getAsString())).collect(Collectors.toList());
    }
}
