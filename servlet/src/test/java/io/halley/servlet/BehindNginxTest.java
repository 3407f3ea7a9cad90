package io.halley.servlet;

import com.google.gson.JsonParser;
import io.halley.testing.TestServer;
import io.halley.testing.proxy.Nginx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real nginx in front of a real Jetty with {@link CometServlet}, with the configurations that
 * {@code docs/deployment.md} shows: a page opened through the proxy with the browser's
 * {@code Origin} (the proxy's), its frames delivered over SSE, the forever-iframe and long-poll,
 * and its calls and publishes answered; and with the plain {@code proxy_pass} (nginx sends the
 * upstream address as {@code Host}) a 403 whose body names the origin seen and the one expected.
 */
class BehindNginxTest extends ProxiedServerTest {
    /** The directives of the docs' configurations, after {@code proxy_pass}. */
    static final List<String> PLAIN = List.of();
    static final List<String> HOST = List.of("proxy_set_header Host $http_host;",
            "proxy_set_header Forwarded \"\";", "proxy_set_header X-Forwarded-Host \"\";",
            "proxy_set_header X-Forwarded-Port \"\";", "proxy_set_header X-Forwarded-Proto \"\";");
    static final List<String> X_FORWARDED = List.of(
            "proxy_set_header X-Forwarded-Host $host;",
            "proxy_set_header X-Forwarded-Port $server_port;",
            "proxy_set_header X-Forwarded-Proto $scheme;",
            "proxy_set_header Forwarded \"\";");
    static final List<String> FORWARDED = List.of("proxy_set_header Forwarded \"proto=$scheme;host=\\\"$http_host\\\"\";");

    private Nginx nginx;

    @Override
    String proxyOrigin() {
        return nginx.origin();
    }

    @Override
    String proxyLog() {
        return nginx.log();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (nginx != null) nginx.close();
            if (server != null) server.close();
        } finally {
            nginx = null;
            server = null;
        }
    }

    private void start(List<String> directives, Map<String, String> extra) throws Exception {
        Map<String, String> params = TestServer.fastParams();
        params.putAll(extra);
        server = Container.start(JETTY, ChannelEndpointTest.chatServlet(), params, Map.of());
        nginx = Nginx.proxyTo(server.port(), directives);
    }

    @Test
    void withXForwardedHeadersPagesOpenAndEveryTransportDelivers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start(X_FORWARDED, Map.of());
            pagesWorkThroughTheProxy("nginx");
        });
    }

    @Test
    void withTheForwardedHeaderPagesOpenAndEveryTransportDelivers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start(FORWARDED, Map.of());
            pagesWorkThroughTheProxy("nginx");
        });
    }

    @Test
    void withHostForwardedPagesOpenAndEveryTransportDelivers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start(HOST, Map.of());
            pagesWorkThroughTheProxy("nginx");
        });
    }

    @Test
    void withThePlainProxyPassTheRefusalNamesBothOrigins() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            start(PLAIN, Map.of());
            HttpResponse<String> r = post("/page", "{}");
            assertEquals(403, r.statusCode(), r.body());
            String error = JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString();
            assertTrue(error.contains("came from " + nginx.origin()), error);
            assertTrue(error.contains("this server is http://127.0.0.1:" + server.port()), error);
            assertTrue(error.contains("docs/deployment.md"), error);
        });
    }

    /**
     * A browser's {@code Sec-Fetch-Site: same-origin} is enough behind the plain {@code proxy_pass}
     * (the browser, not the proxy, says the page and the URL share an origin); {@code cross-site}
     * from a foreign page is still refused, with the message that names both origins.
     */
    @Test
    void withThePlainProxyPassASameOriginFetchMetadataIsEnoughAndCrossSiteIsRefused() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            start(PLAIN, Map.of());
            HttpResponse<String> ok = post("/page", "{}", "Sec-Fetch-Site", "same-origin");
            assertEquals(200, ok.statusCode(), ok.body());
            HttpRequest.Builder evil = HttpRequest.newBuilder(URI.create(base() + "/page")).timeout(Duration.ofSeconds(10))
                    .header("Origin", "http://evil.example").header("Sec-Fetch-Site", "cross-site")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
            HttpResponse<String> refused = http.send(evil.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("came from http://evil.example"), refused.body());
        });
    }

    /**
     * A client's own forwarding headers must not choose the origin Halley expects: the docs'
     * configurations replace or clear every one of them, so a foreign page's origin is refused.
     */
    @Test
    void theDocsConfigurationsDropForwardingHeadersAClientSent() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (List<String> config : List.of(HOST, X_FORWARDED, FORWARDED)) {
                start(config, Map.of());
                HttpRequest.Builder spoof = HttpRequest.newBuilder(URI.create(base() + "/page")).timeout(Duration.ofSeconds(10))
                        .header("Origin", "http://evil.example").header("Forwarded", "proto=http;host=evil.example")
                        .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "http")
                        .header("X-Forwarded-Port", "80").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"));
                HttpResponse<String> r = http.send(spoof.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, r.statusCode(), config + ": " + r.body());
                stop();
            }
        });
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnored() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            start(X_FORWARDED, Map.of("trustedProxies", "192.0.2.0/24")); // not where nginx connects from
            HttpResponse<String> r = post("/page", "{}");
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("this server is http://127.0.0.1:" + server.port()), r.body());
        });
    }
}
