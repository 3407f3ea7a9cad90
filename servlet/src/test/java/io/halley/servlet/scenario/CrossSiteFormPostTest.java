package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.halley.core.Page;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A cross-site request forgery: a plain HTML form posted from another origin
 * ({@code application/x-www-form-urlencoded}, or {@code text/plain}, foreign {@code Origin} or
 * {@code Referer}, the victim's cookie attached, no token) and a cross-origin JSON POST get 403 on
 * every state-changing endpoint, and nothing runs.
 */
class CrossSiteFormPostTest extends ScenarioTest {
    static final String EVIL = "https://evil.example";

    @ParameterizedTest
    @ValueSource(strings = {"/page", "/call/count", "/action/count", "/subscribe", "/unsubscribe", "/publish"})
    void crossSiteFormAndJsonPostsGet403(String path) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            TestServer server = start(Map.of());
            AtomicInteger ran = new AtomicInteger();
            server.halley().register("count", (r, args) -> ran.incrementAndGet());
            server.halley().action("count", (ctx) -> {
                ran.incrementAndGet();
                return null;
            });
            HttpBrowser victim = new HttpBrowser(server);
            HttpBrowser.PageRef p = victim.openPage();
            int pagesBefore = server.halley().pageCount();
            String form = "page=" + p.page() + "&channel=news&args=%5B%5D";
            String json = "{\"page\":\"" + p.page() + "\",\"channel\":\"news\",\"data\":1}";

            form(victim, path, form, "application/x-www-form-urlencoded", "Origin", EVIL).assertError(403);
            form(victim, path, form, "text/plain", "Origin", EVIL).assertError(403);
            form(victim, path, form, "multipart/form-data; boundary=x", "Origin", "null").assertError(403);
            form(victim, path, form, "application/x-www-form-urlencoded", "Referer", EVIL + "/attack.html").assertError(403);
            HttpBrowser.Resp cors = victim.post(path, json, "Origin", EVIL, "X-Halley-Token", p.token());
            cors.assertError(403);
            assertNull(cors.header("Access-Control-Allow-Origin"), "no CORS grant to a foreign origin");

            Thread.sleep(100);
            assertEquals(0, ran.get(), "nothing ran");
            assertEquals(pagesBefore, server.halley().pageCount(), "no page opened");
            Page page = server.page(p.page());
            assertEquals(0, page.channels().size(), "no subscription");
        });
    }

    private static HttpBrowser.Resp form(HttpBrowser b, String path, String body, String type, String... headers) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(b.server().base() + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", type);
        for (int i = 0; i < headers.length; i += 2) rb.header(headers[i], headers[i + 1]);
        return b.send(rb.build());
    }
}
