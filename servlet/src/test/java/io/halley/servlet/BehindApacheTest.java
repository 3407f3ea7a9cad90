package io.halley.servlet;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.testing.Apache;
import io.halley.testing.TestServer;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Apache httpd ({@code mod_proxy_http}) in front of a real Jetty with {@link CometServlet},
 * with the configurations that {@code docs/deployment.md} shows: a page opened through the proxy
 * with the browser's {@code Origin} (the proxy's), its frames delivered over SSE, the
 * forever-iframe and long-poll, and its calls and publishes answered; and with
 * {@code ProxyAddHeaders Off} (httpd then forwards neither the public {@code Host} nor
 * {@code X-Forwarded-Host}) a 403 whose body names the origin seen and the one expected.
 */
class BehindApacheTest {
    private TestServer server;
    private Apache apache;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code ProxyPass / <upstream>/ <options>} and its {@code ProxyPassReverse}, then {@code more}. */
    static List<String> proxyPass(int upstreamPort, String options, String... more) {
        String upstream = "http://127.0.0.1:" + upstreamPort + "/";
        List<String> d = new ArrayList<>(List.of(more));
        d.add(("ProxyPass / " + upstream + " " + options).trim());
        d.add("ProxyPassReverse / " + upstream);
        return d;
    }

    /** The docs' configurations (the {@code ProxyPass} options, then the directives around it). */
    static final String STREAMING = "flushpackets=on";
    static final String[] PRESERVE_HOST = {"ProxyPreserveHost On"};
    static final String[] X_FORWARDED = {"RequestHeader set X-Forwarded-Proto expr=%{REQUEST_SCHEME}"};
    static final String[] NO_FORWARDING = {"ProxyAddHeaders Off"};

    @AfterEach
    void stop() throws Exception {
        if (apache != null) apache.close();
        if (server != null) server.close();
    }

    private void start(String options, String[] directives, Map<String, String> extra) throws Exception {
        Map<String, String> params = TestServer.fastParams();
        params.putAll(extra);
        server = Container.start(JETTY, ChannelEndpointTest.chatServlet(), params, Map.of());
        apache = Apache.start(proxyPass(server.port(), options, directives));
    }

    private String base() {
        return apache.origin() + Container.CONTEXT + "/halley";
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .header("Origin", apache.origin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a held stream through the proxy and waits until {@code marker} shows in its body. */
    private void awaitOnStream(String pathAndQuery, String marker, Runnable send) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(15)).GET().build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), pathAndQuery + "\n" + apache.log());
        try (InputStream in = r.body()) {
            send.run();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[8192];
            int n;
            while (got.indexOf(marker) < 0 && (n = in.read(buf)) >= 0) got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            assertTrue(got.indexOf(marker) >= 0, pathAndQuery + " ended without " + marker + ": " + got);
        }
    }

    private void pagesWorkThroughTheProxy() throws Exception {
        HttpResponse<String> opened = post("/page", "{}");
        assertEquals(200, opened.statusCode(), opened.body() + "\n" + apache.log());
        JsonObject o = JsonParser.parseString(opened.body()).getAsJsonObject();
        String page = o.get("page").getAsString();
        String token = o.get("token").getAsString();
        String fields = "{\"page\":\"" + page + "\",";

        int[] n = {0};
        for (String transport : List.of("sse", "iframe", "poll")) {
            String marker = "through-apache-" + transport;
            Runnable send = () -> server.page(page).writer().text("#x", marker).flush();
            boolean poll = transport.equals("poll"); // a long-poll's headers come with its answer: send first
            if (poll) send.run();
            awaitOnStream("/" + transport + "?page=" + page + "&since=" + n[0], marker, poll ? () -> { } : send);
            n[0]++;
        }
        HttpResponse<String> sub = post("/subscribe", fields + "\"channel\":\"chat.room\"}", "X-Halley-Token", token);
        assertEquals(200, sub.statusCode(), sub.body());
        HttpResponse<String> pub = post("/publish", fields + "\"channel\":\"chat.room\",\"data\":\"hi\"}", "X-Halley-Token", token);
        assertEquals(202, pub.statusCode(), pub.body());
        HttpResponse<String> action = post("/action/x", fields + "\"params\":{}}", "X-Halley-Token", token);
        assertEquals(202, action.statusCode(), action.body());
        awaitOnStream("/sse?page=" + page + "&since=" + n[0], "\"hi\"", () -> { });
    }

    @Test
    void withProxyPreserveHostPagesOpenAndEveryTransportDelivers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start(STREAMING, PRESERVE_HOST, Map.of());
            pagesWorkThroughTheProxy();
        });
    }

    /** mod_proxy's own {@code X-Forwarded-Host} (the public {@code Host}, port included) and the set {@code X-Forwarded-Proto}. */
    @Test
    void withModProxysXForwardedHeadersPagesOpenAndEveryTransportDelivers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start(STREAMING, X_FORWARDED, Map.of());
            pagesWorkThroughTheProxy();
        });
    }

    @Test
    void withTheBareProxyPassPagesOpenAndEveryTransportDelivers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start("", new String[0], Map.of());
            pagesWorkThroughTheProxy();
        });
    }

    @Test
    void withoutForwardingHeadersTheRefusalNamesBothOrigins() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            start(STREAMING, NO_FORWARDING, Map.of());
            HttpResponse<String> r = post("/page", "{}");
            assertEquals(403, r.statusCode(), r.body());
            String error = JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString();
            assertTrue(error.contains("came from " + apache.origin()), error);
            assertTrue(error.contains("this server is http://127.0.0.1:" + server.port()), error);
            assertTrue(error.contains("docs/deployment.md"), error);
        });
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnored() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            start(STREAMING, X_FORWARDED, Map.of("trustedProxies", "192.0.2.0/24")); // not where httpd connects from
            HttpResponse<String> r = post("/page", "{}");
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("this server is http://127.0.0.1:" + server.port()), r.body());
        });
    }
}
