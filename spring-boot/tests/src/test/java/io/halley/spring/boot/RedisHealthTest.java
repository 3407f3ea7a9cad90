package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.testing.Await;
import io.halley.testing.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With the hub on a real redis-server, Actuator's health component {@code halley} follows it:
 * UP while Redis answers, DOWN within seconds of Redis being killed (and the application's
 * health with it, 503), UP again once Redis is back on its port. The detail never names the
 * host or port.
 */
class RedisHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theHalleyHealthComponentGoesDownWhenRedisStopsAndUpWhenItIsBack() throws Exception {
        try (RedisServer redis = RedisServer.launch();
             BootHarness app = BootHarness.start("halley.redis.uri=" + redis.uri(), "halley.redis.key-prefix=boot-health:",
                     "management.endpoints.web.exposure.include=health", "management.endpoint.health.show-details=always")) {
            assertEquals("UP", status(app), "Redis answers");
            redis.kill();
            Await.until("health DOWN after Redis died", WAIT, () -> "DOWN".equals(status(app)));
            HttpResponse<String> down = app.get("/actuator/health");
            assertEquals(503, down.statusCode(), "the application's health is DOWN with it: " + down.body());
            String detail = component(down).getAsJsonObject("details").get("hub").getAsString();
            assertFalse(detail.contains("127.0.0.1") || detail.contains(Integer.toString(redis.port())), "no address: " + detail);
            redis.start();
            Await.until("health UP once Redis is back", WAIT, () -> "UP".equals(status(app)));
        }
    }

    private static String status(BootHarness app) {
        try {
            return component(app.get("/actuator/health")).get("status").getAsString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonObject component(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("components").getAsJsonObject("halley");
    }
}
