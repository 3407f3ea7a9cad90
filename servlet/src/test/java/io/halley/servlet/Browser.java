package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** One simulated browser session: a real HTTP client with its own cookie jar. */
public final class Browser {
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    public final TestServer server;

    public record PageRef(String page, String token) {
    }

    public record Resp(int status, HttpResponse<String> raw) {
        public String body() {
            return raw.body();
        }

        public JsonObject json() {
            return JsonParser.parseString(raw.body()).getAsJsonObject();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** Asserts a JSON error answer with {@code status} and no trace of a stack trace. */
        public void assertError(int expected) {
            assertEquals(expected, status, () -> "status of " + raw.uri() + ": " + raw.body());
            assertTrue(header("Content-Type").startsWith("application/json"), header("Content-Type"));
            JsonObject o = json();
            assertTrue(o.has("error") && o.get("error").isJsonPrimitive(), raw.body());
            assertFalse(raw.body().contains("Exception") || raw.body().contains("\tat ") || raw.body().contains(".java:"),
                    raw.body());
        }
    }

    public Browser(TestServer server) {
        this.server = server;
        // HTTP/1.1 as browsers speak to a plain-http server: the JDK client's default (HTTP/2 with an
        // h2c upgrade attempt on each new connection) made a rare "connection closed locally"
        // under a flood of concurrent requests in PageFloodTest
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** POST /page as a same-origin browser would. */
    public PageRef openPage() throws Exception {
        Resp r = post("/page", "{}", "Origin", origin());
        assertEquals(200, r.status(), r.body());
        JsonObject o = r.json();
        return new PageRef(o.get("page").getAsString(), o.get("token").getAsString());
    }

    public String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    public Resp get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b.build());
    }

    /**
     * A page POST as halley.js sends it: {@code fields} (JSON object members, may be empty) plus
     * {@code "page"}, with the page token and a same-origin {@code Origin}.
     */
    public Resp pagePost(PageRef p, String path, String fields) throws IOException, InterruptedException {
        String body = "{\"page\":\"" + p.page() + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
        return post(path, body, "Origin", origin(), "X-Halley-Token", p.token());
    }

    /** POST /page with {@code body} as a same-origin browser would. */
    public PageRef openPage(String body) throws Exception {
        Resp r = post("/page", body, "Origin", origin());
        assertEquals(200, r.status(), r.body());
        JsonObject o = r.json();
        return new PageRef(o.get("page").getAsString(), o.get("token").getAsString());
    }

    public Resp post(String path, String body, String... headers) throws IOException, InterruptedException {
        return method("POST", path, body, headers);
    }

    public Resp method(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b.build());
    }

    public Resp send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r);
    }

    /** The Cookie header this browser would send, for raw-socket requests. */
    public String cookieHeader() {
        List<HttpCookie> list = cookies.getCookieStore().get(server.base());
        return list.stream().map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));
    }
}
