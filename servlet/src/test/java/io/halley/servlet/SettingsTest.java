package io.halley.servlet;

import io.halley.core.ExecutorMode;
import io.halley.core.Halley;
import io.halley.core.HalleyConfig;
import io.halley.servlet.internal.InitParams;
import io.halley.servlet.internal.OriginPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings: defaults, init-param parsing, and fail-fast checks naming the bad value. */
class SettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        CometSettings s = CometSettings.defaults();
        assertEquals(Duration.ofSeconds(15), s.heartbeat());
        assertEquals(Duration.ofSeconds(25), s.pollTimeout());
        assertEquals(1 << 20, s.iframeBudget());
        assertEquals(2048, s.iframePadding());
        assertEquals(64 * 1024, s.maxBodyBytes());
        assertEquals(Set.of(), s.allowedOrigins());
        assertEquals(10_000, s.maxHeldConnections());
        assertNull(s.nonceFor(null));
    }

    @Test
    void initParamsUseTheBuilderNames() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("pageLease", "PT3S");
        p.put("goneMemory", "90");
        p.put("replayFrames", "77");
        p.put("executor", "platform");
        p.put("heartbeat", "0.25");
        p.put("pollTimeout", "PT10S");
        p.put("iframeBudget", "65536");
        p.put("iframePadding", "4096");
        p.put("maxBodyBytes", "1000");
        p.put("maxHeldConnections", "5");
        p.put("allowedOrigins", "https://App.Example.com, http://b.example:8080 https://c.example:443");
        p.put("somethingElse", "x");
        Halley.Builder hb = Halley.builder();
        CometSettings.Builder sb = CometSettings.builder();
        List<String> unknown = InitParams.apply(p, hb, sb);
        assertEquals(List.of("somethingElse"), unknown);
        CometSettings s = sb.build();
        assertEquals(Duration.ofMillis(250), s.heartbeat());
        assertEquals(Duration.ofSeconds(10), s.pollTimeout());
        assertEquals(65536, s.iframeBudget());
        assertEquals(4096, s.iframePadding());
        assertEquals(1000, s.maxBodyBytes());
        assertEquals(5, s.maxHeldConnections());
        assertEquals(Set.of("https://app.example.com", "http://b.example:8080", "https://c.example"), s.allowedOrigins());
        Halley h = hb.build();
        HalleyConfig c = h.config();
        assertEquals(Duration.ofSeconds(3), c.pageLease());
        assertEquals(Duration.ofSeconds(90), c.goneMemory());
        assertEquals(77, c.replayFrames());
        assertEquals(ExecutorMode.PLATFORM, c.executor());
        h.close();
    }

    @Test
    void badValuesFailNamingTheSettingAndTheValue() {
        assertMessage(() -> InitParams.apply(Map.of("pageLease", "soon"), Halley.builder(), CometSettings.builder()),
                "pageLease", "soon");
        assertMessage(() -> InitParams.apply(Map.of("maxBodyBytes", "lots"), null, CometSettings.builder()),
                "maxBodyBytes", "lots");
        assertMessage(() -> InitParams.apply(Map.of("allowedOrigins", "ftp://x.example"), null, CometSettings.builder()),
                "allowedOrigins", "ftp://x.example");
        assertMessage(() -> CometSettings.builder().iframePadding(1000).build(), "iframePadding", "1000");
        assertMessage(() -> CometSettings.builder().heartbeat(Duration.ZERO).build(), "heartbeat", "PT0S");
        assertMessage(() -> CometSettings.builder().pollTimeout(Duration.ofSeconds(-1)).build(), "pollTimeout", "PT-1S");
        assertMessage(() -> CometSettings.builder().iframeBudget(100).build(), "iframeBudget", "100");
        assertMessage(() -> CometSettings.builder().maxHeldConnections(0).build(), "maxHeldConnections", "0");
        assertMessage(() -> CometSettings.builder().maxBodyBytes(10).build(), "maxBodyBytes", "10");
    }

    @Test
    void channelStreamAndPushSettingsHaveTheirDefaultsAndParse() {
        CometSettings d = CometSettings.defaults();
        assertEquals(1000, d.channelStreamBuffer());
        assertEquals(Duration.ofSeconds(30), d.pushTimeout());
        assertEquals(100, d.pushBuffer());
        assertEquals("off", d.pushPublisher());
        CometSettings.Builder sb = CometSettings.builder();
        assertEquals(List.of(), InitParams.apply(Map.of("channelStreamBuffer", "64", "pushTimeout", "PT5S",
                "pushBuffer", "7", "pushPublisher", "Loopback"), null, sb));
        CometSettings s = sb.build();
        assertEquals(64, s.channelStreamBuffer());
        assertEquals(Duration.ofSeconds(5), s.pushTimeout());
        assertEquals(7, s.pushBuffer());
        assertEquals("loopback", s.pushPublisher());
        assertMessage(() -> CometSettings.builder().channelStreamBuffer(0).build(), "channelStreamBuffer", "0");
        assertMessage(() -> CometSettings.builder().pushBuffer(0).build(), "pushBuffer", "0");
        assertMessage(() -> CometSettings.builder().pushTimeout(Duration.ZERO).build(), "pushTimeout", "PT0S");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> {
                    CometSettings.Builder b = CometSettings.builder();
                    InitParams.apply(Map.of("pushPublisher", "tooshort"), null, b);
                    b.build();
                });
        assertTrue(e.getMessage().contains("pushPublisher") && !e.getMessage().contains("tooshort"), e.getMessage());
        String secret = "0123456789abcdef-secret";
        CometSettings withSecret = CometSettings.builder().pushPublisher(secret).build();
        assertEquals(secret, withSecret.pushPublisher());
        assertTrue(!withSecret.toString().contains(secret), "toString hides the secret");
    }

    @Test
    void aNonceThatIsNotBase64IsRefused() {
        CometSettings s = CometSettings.builder().cspNonce(r -> "a\"><script>").build();
        assertThrows(IllegalStateException.class, () -> s.nonceFor(null));
        assertEquals("abc+/=", CometSettings.builder().cspNonce(r -> "abc+/=").build().nonceFor(null));
    }

    @Test
    void originsAreNormalised() {
        assertEquals("http://localhost:8080", OriginPolicy.normalize("HTTP://LocalHost:8080"));
        assertEquals("https://x.example", OriginPolicy.normalize("https://x.example:443/some/path?q"));
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.normalize("null"));
    }

    @Test
    void everyDeclaredInitParamIsAcceptedIncludingFanOutThreadsAndConsumeActions() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("fanOutThreads", "3");
        p.put("consumeActions", "false");
        p.put("nodeId", "node-a");
        p.put("maxMessageBytes", "2048");
        p.put("createSessions", "true");
        p.put("cspNonceAttribute", "csp.nonce");
        Halley.Builder hb = Halley.builder();
        CometSettings.Builder sb = CometSettings.builder();
        assertEquals(List.of(), InitParams.apply(p, hb, sb));
        CometSettings s = sb.build();
        assertTrue(s.createSessions());
        Halley h = hb.build();
        try {
            assertEquals(3, h.config().fanOutThreads());
            assertEquals("node-a", h.config().nodeId());
            assertEquals(2048, h.config().maxMessageBytes());
        } finally {
            h.close();
        }
        for (io.halley.core.settings.Setting<Halley.Builder, ?> d : HalleyConfig.SETTINGS.settings()) {
            if (d.initParam() != null) assertTrue(InitParams.HALLEY.contains(d.initParam()), d.name());
        }
        assertTrue(InitParams.HALLEY.containsAll(Set.of("fanOutThreads", "consumeActions")), InitParams.HALLEY.toString());
        assertTrue(InitParams.SERVLET.contains("cspNonceAttribute"), InitParams.SERVLET.toString());
    }

    @Test
    void badInitParamValuesOfEachKindNameTheParamAndTheValue() {
        assertMessage(() -> InitParams.apply(Map.of("fanOutThreads", "0"), Halley.builder(), CometSettings.builder()),
                "init-param fanOutThreads", "'0'", "must be >= 1");
        assertMessage(() -> InitParams.apply(Map.of("consumeActions", "maybe"), Halley.builder(), CometSettings.builder()),
                "init-param consumeActions", "'maybe'", "true or false");
        assertMessage(() -> InitParams.apply(Map.of("executor", "green"), Halley.builder(), CometSettings.builder()),
                "init-param executor", "'green'", "AUTO");
        assertMessage(() -> InitParams.apply(Map.of("heartbeat", "0"), null, CometSettings.builder()),
                "init-param heartbeat", "'0'", "positive");
        assertMessage(() -> InitParams.apply(Map.of("iframePadding", "100"), null, CometSettings.builder()),
                "init-param iframePadding", "'100'");
        assertMessage(() -> InitParams.apply(Map.of("cspNonceAttribute", " "), null, CometSettings.builder()),
                "init-param cspNonceAttribute", "empty attribute name");
        assertMessage(() -> InitParams.apply(Map.of("replayBytes", "12.5"), Halley.builder(), CometSettings.builder()),
                "init-param replayBytes", "'12.5'");
    }

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String part : parts) assertTrue(e.getMessage().contains(part), e.getMessage() + " should name " + part);
    }
}
