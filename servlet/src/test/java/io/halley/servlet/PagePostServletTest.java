package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.Page;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PagePostServlet}: an application endpoint gets the checks of Halley's own page POSTs, in
 * order, on a real container, and {@code handle} runs only for a request that passed them all.
 */
class PagePostServletTest {
    private TestServer server;
    private final List<String> handled = new CopyOnWriteArrayList<>();

    /** Records the page and text it acted on. */
    final class Say extends PagePostServlet {
        @Override
        protected JsonObject handle(Page page, JsonObject body, HttpServletRequest request) {
            String text = required(body, "text");
            if (text.length() > 10) throw badInput("at most 10 characters");
            if (text.equals("boom")) throw new IllegalStateException("secret detail");
            handled.add(page.id() + ":" + text);
            JsonObject o = new JsonObject();
            o.addProperty("said", text);
            return o;
        }
    }

    /** Acts without a page: the origin and body checks only. */
    final class Note extends PagePostServlet {
        @Override
        protected boolean pageRequired() {
            return false;
        }

        @Override
        protected JsonObject handle(Page page, JsonObject body, HttpServletRequest request) {
            handled.add((page == null ? "no page" : "page") + ":" + required(body, "text"));
            return ok();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    private HttpBrowser start(Container c) throws Exception {
        Map<String, String> params = TestServer.fastParams();
        // small, so that the over-size body below is sent whole before the server refuses it (a
        // large one is refused while the client still writes, and the client may see a reset)
        params.put("maxBodyBytes", "1024");
        server = Container.start(c, new CometServlet(), params, Map.of("/say", new Say(), "/note", new Note()));
        return new HttpBrowser(server);
    }

    private static HttpBrowser.Resp post(HttpBrowser b, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(b.server().root() + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return b.send(r.build());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aCheckedPostReachesHandleWithTheCallersPage(Container c) throws Exception {
        HttpBrowser b = start(c);
        HttpBrowser.PageRef p = b.openPage();
        HttpBrowser.Resp r = post(b, "/say", "{\"page\":\"" + p.page() + "\",\"text\":\"hi\"}",
                "Origin", b.origin(), "X-Halley-Token", p.token());
        assertEquals(200, r.status(), r.body());
        assertEquals("hi", r.json().get("said").getAsString());
        assertEquals(List.of(p.page() + ":hi"), handled);
    }

    @Test
    void theTokenMayTravelInTheBodyAsSendBeaconSendsIt() throws Exception {
        HttpBrowser b = start(Container.JETTY);
        HttpBrowser.PageRef p = b.openPage();
        HttpBrowser.Resp r = post(b, "/say", "{\"page\":\"" + p.page() + "\",\"token\":\"" + p.token() + "\",\"text\":\"bye\"}",
                "Origin", b.origin());
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of(p.page() + ":bye"), handled);
    }

    @Test
    void eachFailedCheckIsRefusedWithItsStatusBeforeHandleRuns() throws Exception {
        HttpBrowser b = start(Container.JETTY);
        HttpBrowser.PageRef p = b.openPage();
        String ok = "{\"page\":\"" + p.page() + "\",\"text\":\"hi\"}";
        // another origin, and none at all
        post(b, "/say", ok, "Origin", "http://evil.example", "X-Halley-Token", p.token()).assertError(403);
        post(b, "/say", ok, "X-Halley-Token", p.token()).assertError(403);
        // not a JSON object; larger than maxBodyBytes
        post(b, "/say", "[1,2]", "Origin", b.origin(), "X-Halley-Token", p.token()).assertError(400);
        post(b, "/say", "{\"page\":\"" + p.page() + "\",\"text\":\"" + "x".repeat(2_000) + "\"}",
                "Origin", b.origin(), "X-Halley-Token", p.token()).assertError(413);
        // no page, an unknown page, a wrong token
        post(b, "/say", "{\"text\":\"hi\"}", "Origin", b.origin(), "X-Halley-Token", p.token()).assertError(400);
        post(b, "/say", "{\"page\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"text\":\"hi\"}", "Origin", b.origin(),
                "X-Halley-Token", p.token()).assertError(404);
        post(b, "/say", ok, "Origin", b.origin(), "X-Halley-Token", "wrong").assertError(403);
        // another session's page
        HttpBrowser other = new HttpBrowser(server);
        post(other, "/say", ok, "Origin", other.origin(), "X-Halley-Token", p.token()).assertError(403);
        assertTrue(handled.isEmpty(), "handle ran for a refused request: " + handled);
    }

    @Test
    void handleFailuresAnswerWithTheirKindAndNeverWithADetail() throws Exception {
        HttpBrowser b = start(Container.JETTY);
        HttpBrowser.PageRef p = b.openPage();
        HttpBrowser.Resp tooLong = post(b, "/say", "{\"page\":\"" + p.page() + "\",\"text\":\"far too long a line\"}",
                "Origin", b.origin(), "X-Halley-Token", p.token());
        tooLong.assertError(400);
        assertEquals("at most 10 characters", tooLong.json().get("error").getAsString());
        HttpBrowser.Resp boom = post(b, "/say", "{\"page\":\"" + p.page() + "\",\"text\":\"boom\"}",
                "Origin", b.origin(), "X-Halley-Token", p.token());
        boom.assertError(500);
        assertEquals("internal error", boom.json().get("error").getAsString());
        assertFalse(boom.body().contains("secret detail"), boom.body());
    }

    @Test
    void anEndpointWithoutAPageKeepsTheOriginCheck() throws Exception {
        HttpBrowser b = start(Container.JETTY);
        assertEquals(200, post(b, "/note", "{\"text\":\"hello\"}", "Origin", b.origin()).status());
        post(b, "/note", "{\"text\":\"hello\"}", "Origin", "http://evil.example").assertError(403);
        assertEquals(List.of("no page:hello"), handled);
    }
}
