package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import io.halley.testing.LeakCheck;
import io.halley.testing.Ports;
import io.halley.testing.RedisServer;
import io.halley.testing.ScreenshotOnFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebDriver;

/**
 * Two demo servers (nodes {@code a} and {@code b}, each an {@link EmbeddedServer} on its own port,
 * as {@code java -jar halley-demo.jar --node a --redis URI} makes them) on one real
 * {@code redis-server}, and two browsers, one per node: a chat line typed on node A appears on
 * node B, with the names of both; a channel message published on node B reaches a page on node A;
 * actions and announcements cross too. After the class nothing is left: no page, no Halley, demo
 * or Lettuce thread. Skipped loudly without Chromium or {@code redis-server}, failed on CI.
 */
@ExtendWith(ScreenshotOnFailure.class)
class TwoNodesIT {
    private static RedisServer redis;
    private static EmbeddedServer nodeA;
    private static EmbeddedServer nodeB;
    private static BrowserPage alice;
    private static BrowserPage bob;

    @BeforeAll
    static void start() throws Exception {
        Chromium.requireInstalled();
        redis = RedisServer.launch();
        nodeA = node("a");
        nodeB = node("b");
        alice = Chromium.start(); // on node A
        bob = Chromium.start();   // on node B
    }

    private static EmbeddedServer node(String id) throws Exception {
        return EmbeddedServer.start(new EmbeddedServer.Options("127.0.0.1", Ports.free(), BrowserTest.LEASE,
                BrowserTest.HEARTBEAT).cluster(redis.uri(), id).announceEvery(BrowserTest.ANNOUNCE_EVERY));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (alice != null) alice.close();
        if (bob != null) bob.close();
        for (EmbeddedServer s : new EmbeddedServer[] {nodeA, nodeB}) {
            if (s == null) continue;
            Halley h = s.halley();
            s.close();
            assertEquals(0, h.pageCount(), "pages left on node " + h.config().nodeId());
        }
        if (redis != null) redis.close();
        LeakCheck.awaitNoThreads("demo-", "lettuce-");
    }

    @Test
    void aChatLineTypedOnNodeAAppearsOnNodeB() {
        WebDriver b = bob.driver();
        WebDriver a = alice.driver();
        joinChat(b, nodeB, "Bob");
        joinChat(a, nodeA, "Alice");
        await(b, "Bob, on B, sees Alice of A join", x -> chatLines(x).stream().anyMatch(l -> l.endsWith(" Alice joined")));
        await(a, "Alice, on A, learns that Bob is here", x -> text(x, "#who").equals("2 here: Alice, Bob"));
        await(b, "and Bob that Alice is", x -> text(x, "#who").equals("2 here: Alice, Bob"));

        BrowserTest.js(a, "return chatDemo.say(arguments[0]).then(function () { return true; })", "hello from node a");
        await(b, "Bob sees Alice's line", x -> chatLines(x).stream().anyMatch(l -> l.endsWith(" Alice hello from node a")));

        a.get("about:blank"); // her tab closes: her dying message crosses too
        await(b, "Bob sees 'Alice left'", x -> chatLines(x).stream().anyMatch(l -> l.endsWith(" Alice left")));
        await(b, "and the list without her", x -> text(x, "#who").equals("1 here: Bob"));
        b.get("about:blank");
    }

    @Test
    void aChannelMessagePublishedOnNodeBReachesAPageOnNodeA() {
        WebDriver a = alice.driver();
        WebDriver b = bob.driver();
        openRoom(a, nodeA, "cluster");
        openRoom(b, nodeB, "cluster");
        assertEquals(Boolean.TRUE, BrowserTest.js(b, "return channelsDemo.publish(arguments[0])", "hello from node b"));
        String from = (String) BrowserTest.js(b, "return channelsDemo.me");
        await(a, "the page on A receives it", x -> lines(x, "#messages").stream().anyMatch(l -> l.endsWith(from + " hello from node b")));

        // every node announces to its own pages' channel, which spans the nodes
        await(a, "A's page hears node b's announcement", BrowserTest.ANNOUNCE_EVERY.plusSeconds(4),
                x -> lines(x, "#announcements").stream().anyMatch(l -> l.contains("node b")));
        // an action through the Redis queue: whichever node runs it, the reply reaches the page on A
        BrowserTest.js(a, "return channelsDemo.request('demo.time', null).then(function () { return true; })");
        assertTrue(BrowserTest.textContent(a, "#reply").matches("demo\\.time \u2192 .* from node [ab] in \\d+ ms"),
                BrowserTest.textContent(a, "#reply"));
        a.get("about:blank");
        b.get("about:blank");
    }

    private static String url(EmbeddedServer node, String path) {
        return "http://127.0.0.1:" + node.port() + "/" + path;
    }

    private static void joinChat(WebDriver d, EmbeddedServer node, String name) {
        d.get(url(node, "chat"));
        BrowserTest.js(d, "return chatDemo.join(arguments[0]).then(function () { return true; })", name);
        await(d, name + " joined", x -> chatLines(x).stream().anyMatch(l -> l.endsWith(" You joined as " + name + ".")));
    }

    private static void openRoom(WebDriver d, EmbeddedServer node, String room) {
        d.get(url(node, "channels.html"));
        await(d, "connected", x -> "room.lobby".equals(BrowserTest.textContent(x, "#channel")));
        assertEquals("room." + room, BrowserTest.js(d, "return channelsDemo.join(arguments[0])", room));
    }

    private static String text(WebDriver d, String css) {
        return BrowserTest.textContent(d, css);
    }

    private static List<String> chatLines(WebDriver d) {
        return lines(d, "#log");
    }

    @SuppressWarnings("unchecked")
    private static List<String> lines(WebDriver d, String list) {
        return (List<String>) BrowserTest.js(d, "return Array.from(document.querySelectorAll(arguments[0] + ' li'))"
                + ".map(function (li) { return li.textContent; })", list);
    }

    private static <T> T await(WebDriver d, String what, java.util.function.Function<WebDriver, T> condition) {
        return BrowserTest.await(d, what, condition);
    }

    private static <T> T await(WebDriver d, String what, Duration max, java.util.function.Function<WebDriver, T> condition) {
        return BrowserTest.await(d, what, max, condition);
    }
}
