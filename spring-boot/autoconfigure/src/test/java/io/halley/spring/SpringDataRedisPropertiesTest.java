package io.halley.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.redis.RedisSettings;
import io.halley.spring.internal.RedisConnection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Spring Data Redis's Sentinel and cluster properties become Halley's Redis URI, as Spring Boot would choose. */
class SpringDataRedisPropertiesTest {

    private static StandardEnvironment env(Map<String, Object> props) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", props));
        return env;
    }

    @Test
    void clusterNodesBecomeARedisClusterUriWithTheCredentialsAndTls() {
        RedisSettings s = RedisConnection.settings(env(Map.of("spring.data.redis.cluster.nodes", "c1:7000, c2:7001,c3:7002",
                "spring.data.redis.cluster.max-redirects", "3", "spring.data.redis.database", "4")));
        assertEquals("redis-cluster://c1:7000,c2:7001,c3:7002", s.uri(), "a cluster has no database; max-redirects is not used");
        assertTrue(s.cluster());
        RedisSettings yaml = RedisConnection.settings(env(Map.of("spring.data.redis.cluster.nodes[0]", "c1:7000",
                "spring.data.redis.cluster.nodes[1]", "c2:7001", "spring.data.redis.username", "app",
                "spring.data.redis.password", "p@ss", "spring.data.redis.ssl.enabled", "true")));
        assertEquals("rediss-cluster://app:p%40ss@c1:7000,c2:7001", yaml.uri(), "an indexed (YAML) list, user and TLS");
        assertFalse(yaml.toString().contains("p%40ss"), yaml.toString());
        RedisSettings passwordOnly = RedisConnection.settings(env(Map.of("spring.data.redis.cluster.nodes", "c1:7000",
                "spring.data.redis.password", "pw")));
        assertEquals("redis-cluster://c1:7000", passwordOnly.uri());
        assertTrue(passwordOnly.toString().contains("password=***"), "the password alone goes to the password setting");
        assertTrue(RedisConnection.configured(env(Map.of("spring.data.redis.cluster.nodes[0]", "c1:7000"))));
    }

    @Test
    void sentinelMasterAndNodesBecomeARedisSentinelUriAndTheSentinelPasswordItsOwnSetting() {
        RedisSettings s = RedisConnection.settings(env(Map.of("spring.data.redis.sentinel.master", "mymaster",
                "spring.data.redis.sentinel.nodes", "s1:26379,s2:26380", "spring.data.redis.sentinel.password", "sentinel-secret",
                "spring.data.redis.password", "data-secret", "spring.data.redis.database", "2")));
        assertEquals("redis-sentinel://s1:26379,s2:26380/2#mymaster", s.uri());
        assertTrue(s.toString().contains("password=***") && s.toString().contains("sentinelPassword=***"), s.toString());
        assertFalse(s.toString().contains("secret"), s.toString());
        RedisSettings tls = RedisConnection.settings(env(Map.of("spring.data.redis.sentinel.master", "m",
                "spring.data.redis.sentinel.nodes[0]", "s1:26379", "spring.data.redis.ssl.enabled", "true",
                "spring.data.redis.cluster.nodes", "c1:7000", "spring.data.redis.url", "redis://ignored:1")));
        assertEquals("rediss-sentinel://s1:26379/0#m", tls.uri(), "Sentinel wins over cluster and url, as in Spring Boot");
        assertEquals("redis://r:1", RedisConnection.settings(env(Map.of("halley.redis.uri", "redis://r:1",
                "spring.data.redis.sentinel.master", "m", "spring.data.redis.sentinel.nodes", "s1:26379"))).uri(),
                "halley.redis.uri wins over everything");
        assertEquals("redis-cluster://c1:7000", RedisConnection.settings(env(Map.of("spring.data.redis.cluster.nodes", "c1:7000",
                "spring.data.redis.host", "ignored"))).uri(), "cluster wins over host");
        assertTrue(RedisConnection.configured(env(Map.of("spring.data.redis.sentinel.master", "m"))));
    }

    @Test
    void anIncompleteSentinelSetOrABadNodeFailsNamingTheProperty() {
        IllegalArgumentException noMaster = assertThrows(IllegalArgumentException.class, () -> RedisConnection.settings(
                env(Map.of("spring.data.redis.sentinel.nodes", "s1:26379"))));
        assertTrue(noMaster.getMessage().startsWith("property spring.data.redis.sentinel.master: missing"), noMaster.getMessage());
        IllegalArgumentException noNodes = assertThrows(IllegalArgumentException.class, () -> RedisConnection.settings(
                env(Map.of("spring.data.redis.sentinel.master", "m"))));
        assertTrue(noNodes.getMessage().startsWith("property spring.data.redis.sentinel.nodes: missing"), noNodes.getMessage());
        IllegalArgumentException badNode = assertThrows(IllegalArgumentException.class, () -> RedisConnection.settings(
                env(Map.of("spring.data.redis.cluster.nodes", "c1"))));
        assertTrue(badNode.getMessage().startsWith("property spring.data.redis.cluster.nodes: bad value 'c1'"), badNode.getMessage());
    }
}
