package io.halley.sample.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The sample on a random port with a real HTTP client: a visitor is sent to the login form;
 * after signing in as alice the page comes with its Halley bootstrap, and halley.js is served.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SampleApplicationTest {
    @LocalServerPort
    int port;

    @Test
    void aSignedInUserGetsAPageWithHalley() throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        String base = "http://localhost:" + port;
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(login.body().contains("name=\"username\""), "the login form: " + login.body());
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(login.body());
        assertTrue(csrf.find(), login.body());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=password&_csrf=" + csrf.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<span id=\"user\">alice</span>"), page.body());
        assertTrue(page.body().contains("halley.js"), "the bootstrap: " + page.body());
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/halley/halley.js")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }
}
