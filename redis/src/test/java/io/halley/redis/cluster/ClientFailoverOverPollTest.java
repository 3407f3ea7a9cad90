package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import io.halley.redis.RedisSettings;
import io.halley.servlet.CometServlet;
import io.halley.testing.Ports;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * halley.js's fail-over over the long-poll transport, run in Node ({@code client-failover.test.js},
 * a cookie jar and an {@code Origin} header like a browser's) against real nodes: the client picks
 * one of {@code servers} (two live nodes and one where nothing listens: connection refused),
 * subscribes, and the node it settled on has its web application undeployed mid-stream (Jetty
 * still answers, with errors: up but not serving Halley). The client probes, finds the server
 * failing, fails over (a random other server, then the next ones in turn, skipping the dead one)
 * to the live node and ends with every message once, in order, with the ids of the shared history. Skipped (loudly) when {@code node} is not installed, failed on CI.
 */
@Timeout(90)
class ClientFailoverOverPollTest extends WebClusterSupport {
    private static final int MESSAGES = 60;

    @Test
    void aClientOnLongPollFailsOverWhenItsNodeStopsServingHalley() throws Exception {
        requireNode();
        RedisSettings s = redisSettings().build();
        String pageOrigin = WebNode.origin(Ports.free());
        Map<String, WebNode> nodes = webNodes(List.of("a", "b"), n -> runtime(n, s, true), pageOrigin);
        Halley publisher = runtime("p", s, true);
        WebNode a = nodes.get("a");
        WebNode b = nodes.get("b");

        Path lib = Files.createTempFile("halley", ".js");
        Path script = Files.createTempFile("client-failover", ".test.js");
        Process node = null;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger published = new AtomicInteger();
        Thread feed = new Thread(() -> {
            for (int n = 0; n < MESSAGES && !stop.get(); n++) {
                publisher.publish("feed", Map.of("n", n));
                published.incrementAndGet();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-feed");
        try {
            Files.writeString(lib, resource(CometServlet.class, "halley.js"));
            Files.writeString(script, resource(getClass(), "client-failover.test.js"));
            String dead = WebNode.origin(Ports.free()) + "/halley"; // nothing listens there
            node = new ProcessBuilder("node", script.toString(), lib.toString(), pageOrigin, Integer.toString(MESSAGES),
                    dead, a.base(), b.base()).redirectErrorStream(true).start();
            BlockingQueue<String> lines = lines(node.getInputStream());

            String picked = expect(lines, "picked ", 10);
            WebNode first = picked.equals(a.base()) ? a : b;
            WebNode other = first == a ? b : a;
            feed.start();
            expect(lines, "count 20", 10);
            first.undeploy();
            JsonObject result = JsonParser.parseString(expect(lines, "result ", 40)).getAsJsonObject();
            assertTrue(node.waitFor(10, TimeUnit.SECONDS), "node finished");
            assertEquals(0, node.exitValue());
            feed.join(10_000);

            List<String> expected = new ArrayList<>();
            for (ChannelMessage m : publisher.history("feed", 0)) {
                expected.add(m.id() + ":" + m.data().getAsJsonObject().get("n").getAsInt());
            }
            assertEquals(MESSAGES, expected.size());
            List<String> got = new ArrayList<>();
            result.getAsJsonArray("got").forEach(e -> got.add(e.getAsString()));
            assertEquals(expected, got, "every message once, in order, same ids; " + result);
            assertEquals(other.base(), result.get("server").getAsString(), "now on the other node: " + result);
            assertEquals("poll", result.get("transport").getAsString());
            List<String> events = new ArrayList<>();
            result.getAsJsonArray("events").forEach(e -> events.add(e.getAsString()));
            assertTrue(events.stream().allMatch(e -> e.startsWith("failover ")), "only fail-overs, no error: " + events);
            assertTrue(events.stream().anyMatch(e -> e.startsWith("failover " + first.base() + " -> ")), "left " + first + ": " + events);
            assertTrue(events.get(events.size() - 1).endsWith(" -> " + other.base()), "ended on the live node: " + events);
            System.err.println("poll fail-over: " + events);
        } finally {
            stop.set(true);
            feed.join(10_000);
            if (node != null && node.isAlive()) node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(script);
            Files.deleteIfExists(lib);
        }
    }

    /** The next line starting with {@code prefix} (others are kept for the failure message), without the prefix. */
    private static String expect(BlockingQueue<String> lines, String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        StringBuilder seen = new StringBuilder();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) throw new AssertionError("no '" + prefix + "' from node within " + seconds + " s; output: " + seen);
            if (line.startsWith(prefix)) return line.substring(prefix.length());
            seen.append(line).append('\n');
            if (line.startsWith("FAILED")) throw new AssertionError("node: " + seen);
        }
    }

    /** Lines of {@code in}, read by a daemon thread that ends with the process. */
    private static BlockingQueue<String> lines(InputStream in) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) q.add(l);
            } catch (java.io.IOException e) {
                q.add("FAILED reading node's output: " + e);
            }
        }, "test-node-output");
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static String resource(Class<?> c, String name) throws java.io.IOException {
        try (InputStream in = c.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void requireNode() throws InterruptedException {
        boolean ok;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            ok = false;
        }
        if (ok) return;
        String message = "node (Node.js 18+) is not installed: halley.js's long-poll fail-over test cannot run";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message + " (CI=true)");
        System.err.println("!!!!!!!! SKIPPED: " + message + " !!!!!!!!");
        Assumptions.abort(message);
    }
}
