package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.redis.ClusterChecks;
import io.halley.redis.RedisChannelHistory;
import io.halley.redis.RedisHub;
import io.halley.redis.RedisQueue;
import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.LeakCheck;
import io.halley.testing.Ports;
import io.halley.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the multi-node web tests: a real {@code redis-server} on a random port per test (the
 * kit's {@link RedisServer}; skipped loudly when missing, failed on CI), Halley runtimes
 * on Redis (hub, history, queue), each either served by its own embedded Jetty ({@link WebNode},
 * every node's origin, plus any extra origins, in every node's {@code allowedOrigins}) or
 * without any servlet (a listen-only worker). After each test: the clients' streams are closed,
 * every live node must come down to 0 held connections, everything is closed, and no
 * {@code halley-} or {@code lettuce-} thread may be left. Every wait is bounded.
 */
abstract class WebClusterSupport {
    /** SSE heartbeat of the web nodes: a vanished client is noticed within this. */
    static final Duration HEARTBEAT = Duration.ofMillis(300);

    protected RedisServer redis;
    /** The session cookie name of a web node by its name; distinct by default (see {@link WebNode}). */
    protected java.util.function.Function<String, String> sessionCookie = WebNode::cookieName;
    /** Whether the nodes bind pages to HTTP sessions (CometSettings.createSessions). */
    protected boolean createSessions;
    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
    private final List<WebNode> webNodes = Collections.synchronizedList(new ArrayList<>());
    private final List<HttpBrowser> browsers = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.launch();
    }

    @AfterEach
    void stopEverything() {
        List<String> problems = new ArrayList<>();
        for (HttpBrowser b : browsers) b.close();
        for (WebNode n : webNodes) {
            if (n.isStopped()) continue;
            try {
                Await.until("held connections of " + n + " drop to 0 (now " + n.servlet.heldConnections() + ")",
                        Duration.ofSeconds(5), () -> n.servlet.heldConnections() == 0);
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
        }
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                problems.add("closing " + c + ": " + e);
            }
        }
        for (WebNode n : webNodes) {
            if (n.servlet.heldConnections() != 0) problems.add(n + " holds " + n.servlet.heldConnections() + " after stop");
            if (n.halley.pageCount() != 0) problems.add(n + " has " + n.halley.pageCount() + " pages after close");
        }
        closeables.clear();
        webNodes.clear();
        browsers.clear();
        if (redis != null) redis.close();
        LeakCheck.awaitNoThreads("lettuce-");
        if (!problems.isEmpty()) fail(String.join("; ", problems));
    }

    /** Redis settings for tests: short timeouts so that outages and take-overs show within seconds. */
    protected RedisSettings.Builder redisSettings() {
        return RedisSettings.builder().uri(redis.uri())
                .commandTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300))
                .visibilityTimeout(Duration.ofSeconds(1));
    }

    /**
     * A started runtime on Redis. Browsers may publish to non-reserved channels (the tests' chat
     * and feed). {@code consumeActions} false: queued actions are left to other nodes.
     */
    protected Halley runtime(String id, RedisSettings s, boolean consumeActions) {
        Halley h = Halley.builder().nodeId(id).pageLease(Duration.ofSeconds(10))
                .channelPolicy(ChannelPolicy.defaults().allowPublish(c -> true))
                .consumeActions(consumeActions)
                .hub(new RedisHub(s)).history(new RedisChannelHistory(s)).queue(new RedisQueue(s))
                .build().start();
        closeables.add(h);
        return h;
    }

    /**
     * Web nodes named {@code names}, each on a free port with a runtime built by
     * {@code runtime(name)}; every node's origin and {@code extraOrigins} are allowed on all.
     */
    protected Map<String, WebNode> webNodes(List<String> names, java.util.function.Function<String, Halley> runtime,
                                            String... extraOrigins) throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String n : names) ports.put(n, Ports.free());
        List<String> origins = new ArrayList<>(List.of(extraOrigins));
        ports.values().forEach(p -> origins.add(WebNode.origin(p)));
        Map<String, WebNode> out = new LinkedHashMap<>();
        for (String n : names) {
            Halley h = runtime.apply(n);
            WebNode node = WebNode.start(n, ports.get(n), h, origins, HEARTBEAT, sessionCookie.apply(n), createSessions);
            webNodes.add(node);
            closeables.add(node);
            out.put(n, node);
        }
        return out;
    }

    /** An HTTP client sending {@code Origin: origin}, closed after the test. */
    protected HttpBrowser browser(String origin) {
        HttpBrowser b = new HttpBrowser(null, origin);
        browsers.add(b);
        return b;
    }

    /** Closes {@code c} after the test (before the nodes it may depend on: reverse order). */
    protected <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    static void assertIncreasing(List<Long> ids, String what) {
        ClusterChecks.assertIncreasing(ids, what);
    }

    static void assertNoDuplicates(List<?> values, String what) {
        ClusterChecks.assertNoDuplicates(values, what);
    }

}
