package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.spi.Hub;
import io.halley.redis.RedisCluster;
import io.halley.redis.RedisHub;
import io.halley.redis.RedisSettings;
import io.halley.testing.LeakCheck;
import io.halley.testing.RedisSentinels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Spring Data Redis's Sentinel and cluster properties, with real redis-server processes: a Boot
 * application configured only with {@code spring.data.redis.sentinel.*} (sentinels that require a
 * password) or {@code spring.data.redis.cluster.nodes} (three local masters) uses the Redis hub, and a
 * message published on one application reaches a page of another through that Redis.
 */
class SpringDataRedisHaTest {
    private static final String SENTINEL_PASSWORD = "sentinel-secret";

    @Test
    void sentinelPropertiesWithTheSentinelsPasswordCarryAMessageBetweenTwoApplications() throws Exception {
        try (RedisSentinels set = RedisSentinels.launch()) {
            List<Integer> sentinels = sentinelPorts(set.uri());
            for (int port : sentinels) requirePassword(port);
            List<String> props = List.of("spring.data.redis.sentinel.master=" + RedisSentinels.MASTER_NAME,
                    "spring.data.redis.sentinel.nodes=" + String.join(",", sentinels.stream().map(p -> "127.0.0.1:" + p).toList()),
                    "halley.redis.key-prefix=boot-sentinel:");
            List<String> withPassword = new ArrayList<>(props);
            withPassword.add("spring.data.redis.sentinel.password=" + SENTINEL_PASSWORD);
            try (BootHarness a = BootHarness.start(withPassword.toArray(String[]::new));
                 BootHarness b = BootHarness.start(withPassword.toArray(String[]::new))) {
                RedisSettings settings = a.context.getBean(RedisSettings.class);
                assertTrue(settings.uri().startsWith("redis-sentinel://") && settings.uri().endsWith("#" + RedisSentinels.MASTER_NAME),
                        settings.toString());
                assertPublishedOnBReachesAPageOfA(a, b, "via-sentinel");
            }
            List<String> without = new ArrayList<>(props);
            without.add("halley.redis.command-timeout=1s");
            Exception refused = assertThrows(Exception.class, () -> BootHarness.start(without.toArray(String[]::new)).close(),
                    "without spring.data.redis.sentinel.password the sentinels refuse the connection");
            assertTrue(causes(refused).contains("RedisUnavailableException"), causes(refused));
        }
        LeakCheck.awaitNoThreads("lettuce-");
    }

    @Test
    void clusterNodesPropertyCarriesAMessageBetweenTwoApplicationsOverShardedPubSub() throws Exception {
        try (RedisCluster cluster = RedisCluster.launch()) {
            String nodes = "spring.data.redis.cluster.nodes=127.0.0.1:" + cluster.port(0) + ",127.0.0.1:" + cluster.port(1);
            try (BootHarness a = BootHarness.start(nodes, "halley.redis.key-prefix=boot-cluster:");
                 BootHarness b = BootHarness.start(nodes, "spring.data.redis.cluster.max-redirects=3",
                         "halley.redis.key-prefix=boot-cluster:")) {
                assertTrue(a.context.getBean(RedisSettings.class).cluster());
                assertPublishedOnBReachesAPageOfA(a, b, "via-cluster");
                String shard = "boot-cluster:ch:{news}:pub";
                int master = RedisCluster.masterOf(shard);
                assertTrue(cluster.shardChannels(master).contains(shard),
                        "a's page reads news over sharded pub/sub on master " + master + ": " + cluster.shardChannels(master));
            }
        }
        LeakCheck.awaitNoThreads("lettuce-");
    }

    private static void assertPublishedOnBReachesAPageOfA(BootHarness a, BootHarness b, String text) throws Exception {
        assertInstanceOf(RedisHub.class, a.context.getBean(Hub.class));
        assertInstanceOf(RedisHub.class, b.context.getBean(Hub.class));
        a.awaitNewsFrom(b, text);
    }

    /** The sentinels' ports in {@code redis-sentinel://127.0.0.1:a,127.0.0.1:b,…#master}. */
    private static List<Integer> sentinelPorts(String uri) {
        String hosts = uri.substring("redis-sentinel://".length(), uri.indexOf('#'));
        List<Integer> out = new ArrayList<>();
        for (String h : hosts.split(",")) out.add(Integer.parseInt(h.substring(h.lastIndexOf(':') + 1)));
        return out;
    }

    /** Makes the sentinel on {@code port} require {@link #SENTINEL_PASSWORD} (Sentinel has ACLs since Redis 6.2). */
    private static void requirePassword(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "ACL", "SETUSER", "default", "on", "resetpass", ">" + SENTINEL_PASSWORD).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "redis-cli finished");
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals("OK", out, "ACL SETUSER on sentinel " + port);
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" | ");
        return b.toString();
    }
}
