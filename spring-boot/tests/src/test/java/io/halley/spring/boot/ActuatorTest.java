package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.Halley;
import io.halley.core.Page;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With Actuator on the class path, as a Boot user adds it: the hub's health is the component
 * {@code halley} of {@code /actuator/health}, Halley's meters are in {@code /actuator/metrics}
 * (the starter's {@code MeterBinder}), and a page opened by a user Spring Security
 * authenticated carries that user and the roles {@code halley.user-roles} names.
 */
class ActuatorTest {
    static BootHarness app;

    @BeforeAll
    static void start() {
        app = BootHarness.start("management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always", "halley.user-roles=USER,ADMIN");
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    private static JsonObject json(String path) throws Exception {
        HttpResponse<String> r = app.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    @Test
    void theHubsHealthIsTheHalleyComponentOfActuatorsHealth() throws Exception {
        JsonObject halley = json("/actuator/health").getAsJsonObject("components").getAsJsonObject("halley");
        assertEquals("UP", halley.get("status").getAsString(), halley.toString());
        assertEquals("in-memory", halley.getAsJsonObject("details").get("hub").getAsString(), halley.toString());
    }

    @Test
    void halleysMetersAreInActuatorsMetrics() throws Exception {
        assertTrue(json("/actuator/metrics").getAsJsonArray("names").toString().contains("\"halley.pages.live\""),
                "halley.pages.live listed");
        double before = liveValue();
        app.clock(); // renders a page, opened while the controller runs
        double after = liveValue();
        assertEquals(before + 1, after, "one more live page");
    }

    private static double liveValue() throws Exception {
        return json("/actuator/metrics/halley.pages.live").getAsJsonArray("measurements").get(0).getAsJsonObject()
                .get("value").getAsDouble();
    }

    @Test
    void aPageOpenedBySpringSecuritysUserCarriesThatUserAndTheRolesAskedAbout() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
        Halley halley = app.context.getBean(Halley.class);
        String alicesId = app.clock("Authorization", basic).page();
        Page alices = halley.pages().stream().filter(p -> p.id().equals(alicesId)).findFirst().orElseThrow();
        assertEquals("alice", alices.user().name(), "the principal Spring Security authenticated");
        assertTrue(alices.user().hasRole("USER"), "USER: alice has ROLE_USER");
        assertFalse(alices.user().hasRole("ADMIN"), "ADMIN: asked about, not hers");
        String anonymousId = app.clock().page();
        Page anonymous = halley.pages().stream().filter(p -> p.id().equals(anonymousId)).findFirst().orElseThrow();
        assertTrue(anonymous.user().isAnonymous(), "no credentials: anonymous");
    }
}
