package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.testing.TestServer;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * What the reverse-proxy tests share ({@link BehindNginxTest}, {@link BehindApacheTest}): a
 * cookie-keeping HTTP/1.1 client that talks to the proxy, page POSTs with the proxy's origin, a
 * held stream read until a marker, and the walk-through every working configuration must pass:
 * a page opens through the proxy, frames arrive over SSE, the forever-iframe and long-poll, and a
 * subscribe, a publish and an action are answered. Every wait is bounded.
 */
abstract class ProxiedServerTest {
    protected TestServer server;
    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();

    /** The proxy's origin, e.g. {@code http://127.0.0.1:41234}. */
    abstract String proxyOrigin();

    /** The proxy's error log, for failure messages. */
    abstract String proxyLog();

    /** The servlet's mount through the proxy. */
    String base() {
        return proxyOrigin() + Container.CONTEXT + "/halley";
    }

    /** A POST through the proxy with the proxy's origin; {@code headers} add or replace headers. */
    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .header("Origin", proxyOrigin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.setHeader(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a held stream through the proxy, runs {@code send}, and waits until {@code marker} shows in its body. */
    void awaitOnStream(String pathAndQuery, String marker, Runnable send) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(15)).GET().build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), pathAndQuery + "\n" + proxyLog());
        try (InputStream in = r.body()) {
            send.run();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[8192];
            int n;
            while (got.indexOf(marker) < 0 && (n = in.read(buf)) >= 0) got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            assertTrue(got.indexOf(marker) >= 0, pathAndQuery + " ended without " + marker + ": " + got);
        }
    }

    /** The walk-through of the class comment; {@code via} names the proxy in the markers. */
    void pagesWorkThroughTheProxy(String via) throws Exception {
        HttpResponse<String> opened = post("/page", "{}");
        assertEquals(200, opened.statusCode(), opened.body() + "\n" + proxyLog());
        JsonObject o = JsonParser.parseString(opened.body()).getAsJsonObject();
        String page = o.get("page").getAsString();
        String token = o.get("token").getAsString();
        String fields = "{\"page\":\"" + page + "\",";

        int n = 0;
        for (String transport : List.of("sse", "iframe", "poll")) {
            String marker = "through-" + via + "-" + transport;
            Runnable send = () -> server.page(page).writer().text("#x", marker).flush();
            boolean poll = transport.equals("poll"); // a long-poll's headers come with its answer: send first
            if (poll) send.run();
            awaitOnStream("/" + transport + "?page=" + page + "&since=" + n, marker, poll ? () -> { } : send);
            n++;
        }
        HttpResponse<String> sub = post("/subscribe", fields + "\"channel\":\"chat.room\"}", "X-Halley-Token", token);
        assertEquals(200, sub.statusCode(), sub.body());
        HttpResponse<String> pub = post("/publish", fields + "\"channel\":\"chat.room\",\"data\":\"hi\"}", "X-Halley-Token", token);
        assertEquals(202, pub.statusCode(), pub.body());
        HttpResponse<String> action = post("/action/x", fields + "\"params\":{}}", "X-Halley-Token", token);
        assertEquals(202, action.statusCode(), action.body());
        awaitOnStream("/sse?page=" + page + "&since=" + n, "\"hi\"", () -> { });
    }
}
