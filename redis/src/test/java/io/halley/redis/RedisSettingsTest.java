package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Settings: defaults, fail-fast checks naming the bad value, and no password in any text. */
class RedisSettingsTest {

    @Test
    void defaults() {
        RedisSettings s = RedisSettings.builder().build();
        assertEquals("redis://localhost:6379", s.uri());
        assertEquals("halley:", s.keyPrefix());
        assertEquals(1000, s.historySize());
        assertEquals(Duration.ofSeconds(30), s.visibilityTimeout());
        assertEquals(5, s.maxDeliveries());
        assertEquals(Duration.ofSeconds(5), s.commandTimeout());
        assertEquals(Duration.ofMillis(100), s.reconnectMinDelay());
        assertEquals(Duration.ofSeconds(10), s.reconnectMaxDelay());
    }

    @Test
    void badValuesFailAtOnceNamingSettingAndValue() {
        RedisSettings.Builder b = RedisSettings.builder();
        assertMessage(b, () -> b.uri("http://x"), "uri", "http://x");
        assertMessage(b, () -> b.historySize(-1), "historySize", "-1");
        assertMessage(b, () -> b.visibilityTimeout(Duration.ofMillis(5)), "visibilityTimeout", "PT0.005S");
        assertMessage(b, () -> b.maxDeliveries(0), "maxDeliveries", "0");
        assertMessage(b, () -> b.commandTimeout(Duration.ZERO), "commandTimeout", "PT0S");
        assertMessage(b, () -> b.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)), "reconnectBackoff", "PT1S");
        assertMessage(b, () -> b.keyPrefix("a b"), "keyPrefix", "a b");
        assertThrows(NullPointerException.class, () -> b.uri(null));
    }

    @Test
    void passwordsNeverShowInTextOrErrors() {
        RedisSettings s = RedisSettings.builder().uri("rediss://user:hunter2@redis.example:6380/2").password("other-secret").build();
        assertFalse(s.toString().contains("hunter2"), s.toString());
        assertFalse(s.toString().contains("other-secret"), s.toString());
        assertTrue(s.toString().contains("rediss://***@redis.example:6380/2"), s.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.builder().uri("tcp://:hunter2@h"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals(s.toString(), s.toBuilder().build().toString(), "toBuilder keeps everything");
    }

    @Test
    void clusterUrisNameTheSeedNodesAndKeyPrefixesRefuseBraces() {
        RedisSettings s = RedisSettings.builder().uri("redis-cluster://user:hunter2@h1:7000,h2:7001, h3:7002").build();
        assertTrue(s.cluster());
        assertEquals(List.of("h1:7000", "h2:7001", "h3:7002"),
                s.clusterUris("n").stream().map(u -> u.getHost() + ":" + u.getPort()).collect(Collectors.toList()));
        assertTrue(s.clusterUris("n").stream().allMatch(u -> !u.isSsl() && "n".equals(u.getClientName())));
        io.lettuce.core.RedisCredentials creds = s.clusterUris("n").get(2).getCredentialsProvider().resolveCredentials().block();
        assertEquals("user", creds.getUsername());
        assertEquals("hunter2", new String(creds.getPassword()), "every seed gets the URI's password");
        assertFalse(s.toString().contains("hunter2"), s.toString());
        assertTrue(RedisSettings.of("rediss-cluster://h1:7000").clusterUris("n").get(0).isSsl(), "rediss-cluster is TLS");
        assertFalse(RedisSettings.of("redis://h:1").cluster());
        RedisSettings.Builder b = RedisSettings.builder();
        assertMessage(b, () -> b.uri("redis-cluster://h1:1,,h2:2"), "uri", "redis-cluster://h1:1,,h2:2");
        assertMessage(b, () -> b.keyPrefix("app{1}:"), "keyPrefix", "app{1}:");
        assertMessage(b, () -> b.keyPrefix("app}"), "keyPrefix", "app}");
    }

    @Test
    void aSentinelUriGivesTheMasterPasswordToTheDataNodesAndTheSentinelPasswordToTheSentinels() {
        RedisSettings s = RedisSettings.builder().uri("rediss-sentinel://app:hunter2@h1:26379,h2:26380/3#mymaster")
                .sentinelPassword("sentinel-secret").build();
        io.lettuce.core.RedisURI u = s.redisUri("n");
        assertEquals("mymaster", u.getSentinelMasterId());
        assertEquals(3, u.getDatabase());
        assertTrue(u.isSsl(), "rediss-sentinel is TLS");
        io.lettuce.core.RedisCredentials master = u.getCredentialsProvider().resolveCredentials().block();
        assertEquals("app", master.getUsername());
        assertEquals("hunter2", new String(master.getPassword()));
        assertEquals(List.of("h1:26379", "h2:26380"),
                u.getSentinels().stream().map(x -> x.getHost() + ":" + x.getPort()).collect(Collectors.toList()));
        for (io.lettuce.core.RedisURI sentinel : u.getSentinels()) {
            assertEquals("sentinel-secret", new String(sentinel.getCredentialsProvider().resolveCredentials().block().getPassword()));
        }
        assertFalse(s.toString().contains("sentinel-secret"), s.toString());
        assertTrue(s.toString().contains("sentinelPassword=***"), s.toString());
        assertEquals(s.toString(), s.toBuilder().build().toString(), "toBuilder keeps the sentinel password");
        io.lettuce.core.RedisURI plain = RedisSettings.of("redis-sentinel://h1:26379#m").redisUri("n");
        assertEquals(null, plain.getSentinels().get(0).getCredentialsProvider().resolveCredentials().block().getPassword(),
                "no sentinel password: the sentinels get none");
    }

    private static void assertMessage(RedisSettings.Builder b, Runnable r, String name, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(value), e.getMessage());
    }
}
