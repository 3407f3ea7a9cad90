package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.core.HalleyConfig;
import io.halley.servlet.CometServlet;
import io.halley.servlet.CometSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code halley.*} properties set the settings they name, in Halley's text forms and in Spring Boot's. */
class PropertiesTest {

    @Test
    void propertiesChangeTheRuntimesAndTheServletsSettingsAndThePath() throws Exception {
        try (BootHarness app = BootHarness.start("halley.page-lease=7s", "halley.max-pages-per-session=3",
                "halley.replay-bytes=2MB", "halley.executor=platform", "halley.heartbeat=PT0.3S", "halley.poll-timeout=4",
                "halley.allowed-origins=https://a.example,https://b.example", "halley.create-sessions=true",
                "halley.path=/push/*")) {
            HalleyConfig c = app.context.getBean(Halley.class).config();
            assertEquals(Duration.ofSeconds(7), c.pageLease());
            assertEquals(3, c.maxPagesPerSession());
            assertEquals(2L << 20, c.replayBytes());
            CometSettings s = app.context.getBean(CometServlet.class).settings();
            assertEquals(Duration.ofMillis(300), s.heartbeat());
            assertEquals(Duration.ofSeconds(4), s.pollTimeout());
            assertEquals(Set.of("https://a.example", "https://b.example"), s.allowedOrigins());
            assertTrue(s.createSessions());
            assertEquals(200, app.get("/push/halley.js").statusCode());
            assertTrue(app.get("/halley/halley.js").statusCode() >= 400, "nothing at the default path any more");
        }
    }

    @Test
    void listsInYamlFormAndRedisPropertiesBind() throws Exception {
        try (BootHarness app = BootHarness.start("halley.allowed-origins[0]=https://c.example",
                "halley.allowed-origins[1]=https://d.example", "halley.trusted-proxies=10.0.0.0/8")) {
            CometSettings s = app.context.getBean(CometServlet.class).settings();
            assertEquals(Set.of("https://c.example", "https://d.example"), s.allowedOrigins());
            assertEquals(List.of("10.0.0.0/8"), s.trustedProxies());
        }
    }

    @Test
    void aBadValueFailsTheStartNamingTheProperty() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> BootHarness.start("halley.page-lease=banana").close());
        assertTrue(messages(e).contains("property halley.page-lease: bad value 'banana'"), messages(e));
        RuntimeException servlet = assertThrows(RuntimeException.class, () -> BootHarness.start("halley.max-body-bytes=1").close());
        assertTrue(messages(servlet).contains("property halley.max-body-bytes"), messages(servlet));
        RuntimeException path = assertThrows(RuntimeException.class, () -> BootHarness.start("halley.path=/x").close());
        assertTrue(messages(path).contains("property halley.path"), messages(path));
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) b.append(x.getMessage()).append(" | ");
        return b.toString();
    }
}
