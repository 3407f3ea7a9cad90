package io.halley.redis;

import io.halley.core.Halley;
import io.halley.testing.LeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the Redis Cluster tests: a real 3-master {@link RedisCluster} per test, Halley nodes
 * wired to it through the Redis hub, history and queue ({@code redis-cluster://} URI), everything
 * closed after each test, and a check that no Lettuce thread is left behind. Every wait is bounded.
 */
abstract class RedisClusterTestSupport {
    protected RedisCluster cluster;
    protected final Map<String, RedisHub> hubs = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startCluster() throws Exception {
        cluster = launchCluster();
    }

    /** The cluster each test gets: three masters without replicas, unless a test class says otherwise. */
    protected RedisCluster launchCluster() throws java.io.IOException {
        return RedisCluster.launch();
    }

    @AfterEach
    void stopEverything() {
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
        closeables.clear();
        hubs.clear();
        if (cluster != null) cluster.close();
        LeakCheck.awaitNoThreads("lettuce-");
    }

    /** Short timeouts, so that a master going away shows within seconds. */
    protected RedisSettings.Builder settings() {
        return RedisSettings.builder().uri(cluster.uri())
                .commandTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300))
                .visibilityTimeout(Duration.ofSeconds(1));
    }

    /** A started node on the cluster with its own hub (kept in {@link #hubs}), history and queue. */
    protected Halley node(String id, RedisSettings s) {
        RedisHub hub = new RedisHub(s);
        hubs.put(id, hub);
        Halley h = Halley.builder().nodeId(id).pageLease(Duration.ofMinutes(5))
                .hub(hub).history(new RedisChannelHistory(s)).queue(new RedisQueue(s)).build().start();
        closeables.add(h);
        return h;
    }

    /** The shard channel of {@code channel} under the default prefix. */
    static String shard(String channel) {
        return "halley:ch:{" + channel + "}:pub";
    }

    /**
     * A channel name ({@code <base>-<n>}) whose keys sit on {@code master}, in none of the slots of
     * {@code others} (so two channels of one master can be in different slots).
     */
    static String channelOn(int master, String base, String... others) {
        for (int n = 0; ; n++) {
            String name = base + "-" + n;
            if (RedisCluster.masterOf(shard(name)) != master) continue;
            boolean clash = false;
            for (String o : others) clash |= SlotTags.slot(shard(o)) == SlotTags.slot(shard(name));
            if (!clash) return name;
        }
    }
}
