package io.halley.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.ExecutorMode;
import io.halley.core.Halley;
import io.halley.core.HalleyConfig;
import io.halley.redis.RedisSettings;
import io.halley.spring.internal.RedisConnection;
import io.halley.spring.internal.SettingProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The generic binding of setting declarations to properties, without a context. */
class SettingPropertiesTest {

    private static StandardEnvironment env(Map<String, Object> props) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", props));
        return env;
    }

    @Test
    void runtimeSettingsBindInHalleysAndSpringsTextForms() {
        Halley.Builder b = Halley.builder();
        SettingProperties.apply(env(Map.of("halley.page-lease", "0.5", "halley.gone-memory", "2m",
                "halley.replay-bytes", "64KB", "halley.executor", "PLATFORM", "halley.nodeId", "n1")), "halley", HalleyConfig.SETTINGS, b);
        HalleyConfig c = b.build().config();
        assertEquals(Duration.ofMillis(500), c.pageLease(), "a bare number is seconds");
        assertEquals(Duration.ofMinutes(2), c.goneMemory());
        assertEquals(65536, c.replayBytes());
        assertEquals(ExecutorMode.PLATFORM, c.executor());
        assertEquals("n1", c.nodeId(), "relaxed binding: halley.nodeId is halley.node-id");
    }

    @Test
    void redisSettingsComeFromHalleysPropertiesOrSpringDataRedis() {
        RedisSettings own = RedisConnection.settings(env(Map.of("halley.redis.uri", "redis://r1:6380/2",
                "halley.redis.reconnect-min-delay", "20s", "halley.redis.history-size", "7")));
        assertEquals("redis://r1:6380/2", own.uri());
        assertEquals(Duration.ofSeconds(20), own.reconnectMinDelay());
        assertEquals(Duration.ofSeconds(20), own.reconnectMaxDelay(), "a minimum above the default maximum raises it");
        assertEquals(7, own.historySize());
        RedisSettings spring = RedisConnection.settings(env(Map.of("spring.data.redis.host", "cache", "spring.data.redis.port", "6390",
                "spring.data.redis.username", "app", "spring.data.redis.password", "s3cret", "spring.data.redis.ssl.enabled", "true")));
        assertEquals("rediss://app:s3cret@cache:6390/0", spring.uri());
        assertFalse(spring.toString().contains("s3cret"), spring.toString());
        assertTrue(RedisConnection.configured(env(Map.of("spring.data.redis.url", "redis://x:1"))));
        assertFalse(RedisConnection.configured(env(Map.of())));
    }

    @Test
    void aBadValueNamesThePropertyAndHidesSecrets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SettingProperties.apply(
                env(Map.of("halley.max-pages-per-session", "0")), "halley", HalleyConfig.SETTINGS, Halley.builder()));
        assertTrue(e.getMessage().startsWith("property halley.max-pages-per-session: bad value '0'"), e.getMessage());
        IllegalArgumentException secret = assertThrows(IllegalArgumentException.class, () -> RedisConnection.settings(
                env(Map.of("halley.redis.uri", "redis://h:1", "halley.redis.password", ""))));
        assertTrue(secret.getMessage().contains("halley.redis.password: bad value (not shown)"), secret.getMessage());
    }
}
