package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link Main} reads its port, Redis URI, node id and HTTPS options. */
class MainTest {

    @Test
    void portIs8080ByDefault() {
        assertEquals(8080, Main.port(new String[0], Map.of()));
    }

    @Test
    void portComesFromTheEnvironmentThenTheCommandLine() {
        assertEquals(9000, Main.port(new String[0], Map.of("PORT", "9000")));
        assertEquals(9001, Main.port(new String[] {"--port", "9001"}, Map.of("PORT", "9000")));
        assertEquals(9002, Main.port(new String[] {"--port=9002"}, Map.of()));
        assertEquals(0, Main.port(new String[] {"--port", "0"}, Map.of()));
    }

    @Test
    void badArgumentsAreRefusedWithAClearMessage() {
        assertEquals("not a port number: 'x'",
                assertThrows(IllegalArgumentException.class, () -> Main.port(new String[] {"--port", "x"}, Map.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Main.port(new String[] {"--port", "70000"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Main.port(new String[] {"--port"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Main.port(new String[] {"--verbose"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Main.port(new String[0], Map.of("PORT", "eighty")));
    }

    @Test
    void redisAndNodeComeFromTheCommandLineOrTheEnvironment() {
        assertEquals(new Main.Settings(8080, null, null), Main.settings(new String[0], Map.of()));
        assertEquals(new Main.Settings(8081, "redis://127.0.0.1:6379", "a"),
                Main.settings(new String[] {"--port", "8081", "--node", "a", "--redis", "redis://127.0.0.1:6379"}, Map.of()));
        assertEquals(new Main.Settings(8082, "redis://r:6379", "b"),
                Main.settings(new String[] {"--node=b", "--redis=redis://r:6379"}, Map.of("PORT", "8082", "NODE_ID", "x")));
        assertEquals(new Main.Settings(8080, "redis://env:6379", "env-1"),
                Main.settings(new String[0], Map.of("REDIS_URL", "redis://env:6379", "NODE_ID", "env-1")));
        assertEquals(new Main.Settings(8080, null, null), Main.settings(new String[0], Map.of("REDIS_URL", " ", "NODE_ID", "")));
    }

    @Test
    void badRedisUrisAndNodeIdsAreRefused() {
        assertEquals("a node id is 1-32 of A-Z a-z 0-9 _ -: 'a b'",
                assertThrows(IllegalArgumentException.class, () -> Main.settings(new String[] {"--node", "a b"}, Map.of())).getMessage());
        String m = assertThrows(IllegalArgumentException.class,
                () -> Main.settings(new String[] {"--redis", "http://user:secret@host"}, Map.of())).getMessage();
        assertTrue(m.startsWith("bad Redis URI: "), m);
        assertFalse(m.contains("secret"), "the password is never shown: " + m);
        assertThrows(IllegalArgumentException.class, () -> Main.settings(new String[] {"--redis"}, Map.of()));
        assertEquals("redis://***@host:6379", Main.redact("redis://user:secret@host:6379"));
        assertEquals("redis://host:6379", Main.redact("redis://host:6379"));
    }

    @Test
    void httpsIsOffByDefaultAndTakesItsPortAndKeystoreFromTheCommandLineOrTheEnvironment() {
        assertEquals(null, Main.settings(new String[0], Map.of("HTTPS_PORT", "9443", "KEYSTORE", "k.p12")).https());
        assertEquals(new Main.HttpsSettings(8443, null, null), Main.settings(new String[] {"--https"}, Map.of()).https());
        assertEquals(new Main.HttpsSettings(9443, null, null),
                Main.settings(new String[] {"--https", "--https-port", "9443"}, Map.of("HTTPS_PORT", "1")).https());
        assertEquals(new Main.HttpsSettings(0, Paths.get("k.p12"), "secret"),
                Main.settings(new String[] {"--https", "--https-port=0", "--keystore=k.p12", "--keystore-password=secret"}, Map.of()).https());
        assertEquals(new Main.HttpsSettings(9444, Paths.get("env.p12"), "from-env"), Main.settings(new String[] {"--https"},
                Map.of("HTTPS_PORT", "9444", "KEYSTORE", "env.p12", "KEYSTORE_PASSWORD", "from-env")).https());
        assertFalse(Main.settings(new String[] {"--https", "--keystore", "k.p12", "--keystore-password", "secret"}, Map.of())
                .toString().contains("secret"), "the password is never shown");
    }

    @Test
    void badHttpsArgumentsAreRefusedWithAClearMessage() {
        assertEquals("--https takes no value", refused("--https=yes"));
        assertEquals("--keystore goes with --https", refused("--keystore", "k.p12", "--keystore-password", "secret"));
        assertEquals("--https-port goes with --https", refused("--https-port", "9443"));
        assertEquals("--keystore needs --keystore-password (or KEYSTORE_PASSWORD)", refused("--https", "--keystore", "k.p12"));
        assertEquals("--keystore-password goes with --keystore", refused("--https", "--keystore-password", "secret"));
        assertEquals("--https-port and --port are both 9000", refused("--https", "--port", "9000", "--https-port", "9000"));
        assertEquals("not a port number: 'x'", refused("--https", "--https-port", "x"));
        assertEquals("unknown argument '--keystore-pasword=...'", refused("--https", "--keystore-pasword=secret"));
    }

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Main.settings(args, Map.of())).getMessage();
    }
}
