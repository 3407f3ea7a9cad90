package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spring Security's CSRF filter (on for every POST, /halley/* included) and Halley's origin check
 * side by side: the POSTs halley.js sends from a same-origin page (its Origin, the page token,
 * and the CSRF token given to {@code Halley.connect({headers})}) pass both; a forged cross-site
 * POST is stopped by each of them on its own.
 */
class SecurityTest {
    static BootHarness app;

    @BeforeAll
    static void start() {
        app = BootHarness.start();
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    @Test
    void aLegitimatePagePassesBothChecks() throws Exception {
        BootHarness.Rendered page = app.clock();
        HttpResponse<String> open = app.post("/halley/page", "{}", "Origin", app.origin(), page.csrfHeader(), page.csrf());
        assertEquals(200, open.statusCode(), open.body());
        HttpResponse<String> sub = app.post("/halley/subscribe", "{\"page\":\"" + page.page() + "\",\"channel\":\"chat\"}",
                "Origin", app.origin(), "X-Halley-Token", page.token(), page.csrfHeader(), page.csrf());
        assertEquals(2, sub.statusCode() / 100, sub.body());
        HttpResponse<String> news = app.post("/news?text=x", "", "Origin", app.origin(), page.csrfHeader(), page.csrf());
        assertEquals(200, news.statusCode(), "the application's own POST: " + news.body());
    }

    @Test
    void aForgedCrossSitePostIsStoppedByTheCsrfFilter() throws Exception {
        BootHarness.Rendered page = app.clock(); // the victim's session and page exist; the attacker has no token
        HttpResponse<String> r = app.post("/halley/page", "{}", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(!halleys(r), "refused by Spring Security before Halley saw it: " + r.body());
        HttpResponse<String> sameOriginNoToken = app.post("/halley/subscribe",
                "{\"page\":\"" + page.page() + "\",\"channel\":\"chat\"}", "Origin", app.origin(), "X-Halley-Token", page.token());
        assertEquals(403, sameOriginNoToken.statusCode(), "no CSRF token: " + sameOriginNoToken.body());
        assertTrue(!halleys(sameOriginNoToken), sameOriginNoToken.body());
    }

    @Test
    void aCrossSitePostIsStoppedByHalleysOriginCheckEvenWithTheCsrfToken() throws Exception {
        BootHarness.Rendered page = app.clock();
        HttpResponse<String> r = app.post("/halley/page", "{}", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site",
                page.csrfHeader(), page.csrf());
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(halleys(r), "Halley's JSON refusal, not Spring Security's: " + r.body());
    }

    /** Halley's refusal: {@code {"error":"..."}} and nothing else (Boot's error page has a status, a path, a timestamp). */
    private static boolean halleys(HttpResponse<String> r) {
        return r.body().matches("\\{\"error\":\"[^\"]*\"\\}\\s*");
    }
}
