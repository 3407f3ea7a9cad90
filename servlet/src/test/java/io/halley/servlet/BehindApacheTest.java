package io.halley.servlet;

import com.google.gson.JsonParser;
import io.halley.testing.TestServer;
import io.halley.testing.proxy.Apache;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
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
 * forever-iframe and long-poll with no heartbeat to push them out, and its calls and publishes
 * answered; Debian's default {@code mod_deflate} still streams the gzipped iframe; an
 * {@code X-Forwarded-Proto} of {@code https} makes the https origin the server's; the client's own
 * forwarding headers are dropped; and with {@code ProxyAddHeaders Off} a 403 names both origins.
 */
class BehindApacheTest extends ProxiedServerTest {
    private Apache apache;

    /** {@code ProxyPass / <upstream>/ <options>} and its {@code ProxyPassReverse}, then {@code more}. */
    static List<String> proxyPass(int upstreamPort, String options, String... more) {
        String upstream = "http://127.0.0.1:" + upstreamPort + "/";
        List<String> d = new ArrayList<>(List.of(more));
        d.add(("ProxyPass / " + upstream + " " + options).trim());
        d.add("ProxyPassReverse / " + upstream);
        return d;
    }

    /**
     * The docs' configuration, after {@code ProxyPass}: mod_proxy_http adds {@code X-Forwarded-Host}
     * (the public {@code Host}, port included) but no {@code X-Forwarded-Proto}, appends to an
     * {@code X-Forwarded-Host} the client sent and passes its {@code Forwarded} and
     * {@code X-Forwarded-Port} on; so the scheme is set and the client's headers are dropped.
     */
    static final String[] X_FORWARDED = {
        "RequestHeader set X-Forwarded-Proto expr=%{REQUEST_SCHEME}",
        "RequestHeader unset X-Forwarded-Host",
        "RequestHeader unset X-Forwarded-Port",
        "RequestHeader unset Forwarded"};
    static final String[] PRESERVE_HOST = concat(new String[] {"ProxyPreserveHost On"}, X_FORWARDED);
    static final String[] NO_FORWARDING = {"ProxyAddHeaders Off"};
    /** What Debian's {@code a2enmod deflate} adds (mods-enabled/deflate.conf): the forever-iframe is text/html. */
    static final String[] DEBIAN_DEFLATE = concat(new String[] {
        Apache.module("filter"), Apache.module("deflate"),
        "AddOutputFilterByType DEFLATE text/html text/plain text/xml text/css text/javascript",
        "AddOutputFilterByType DEFLATE application/x-javascript application/javascript application/ecmascript",
        "AddOutputFilterByType DEFLATE application/rss+xml application/wasm application/xml"}, X_FORWARDED);

    static String[] concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }

    /**
     * No heartbeat while a test waits (30 s, beyond its bounds): a frame must come through the
     * proxy on its own, not pushed out by the heartbeats behind it.
     */
    static final Map<String, String> NO_FILLER = Map.of("heartbeat", "30");

    @Override
    String proxyOrigin() {
        return apache.origin();
    }

    @Override
    String proxyLog() {
        return apache.log();
    }

    @AfterEach
    void stop() throws Exception {
        // with no heartbeat, neither Jetty nor httpd notices a stream the client closed until its
        // next write: closing the pages first ends their streams, so httpd stops at once and the
        // server's leak check sees none held
        if (server != null) server.halley().pages().forEach(io.halley.core.Page::close);
        if (apache != null) apache.close();
        if (server != null) server.close();
    }

    private void start(String options, String[] directives, Map<String, String> extra) throws Exception {
        Map<String, String> params = TestServer.fastParams();
        params.putAll(extra);
        server = Container.start(JETTY, ChannelEndpointTest.chatServlet(), params, Map.of());
        apache = Apache.start(proxyPass(server.port(), options, directives));
    }

    @Test
    void withModProxysXForwardedHostAndTheSchemeSetPagesOpenAndEveryTransportDelivers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start("", X_FORWARDED, NO_FILLER);
            pagesWorkThroughTheProxy("apache");
        });
    }

    /** {@code flushpackets=on} is not needed (the other tests run without it), and does no harm. */
    @Test
    void withProxyPreserveHostAndFlushpacketsPagesOpenAndEveryTransportDelivers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start("flushpackets=on", PRESERVE_HOST, NO_FILLER);
            pagesWorkThroughTheProxy("apache");
        });
    }

    /** Over plain http the bare {@code ProxyPass} works too: mod_proxy's {@code X-Forwarded-Host} is enough. */
    @Test
    void withTheBareProxyPassPagesOpenAndEveryTransportDelivers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start("", new String[0], NO_FILLER);
            pagesWorkThroughTheProxy("apache");
        });
    }

    /**
     * Behind TLS, {@code %{REQUEST_SCHEME}} is {@code https}: the origin Halley expects is then the
     * https one (here httpd is told so directly, the client's side being plain http).
     */
    @Test
    void anXForwardedProtoOfHttpsMakesTheHttpsOriginTheServers() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            start("", new String[] {"RequestHeader set X-Forwarded-Proto https"}, Map.of());
            String https = "https://127.0.0.1:" + apache.port;
            HttpResponse<String> ok = post("/page", "{}", "Origin", https);
            assertEquals(200, ok.statusCode(), ok.body());
            HttpResponse<String> plain = post("/page", "{}");
            assertEquals(403, plain.statusCode(), plain.body());
            assertTrue(plain.body().contains("this server is " + https), plain.body());
        });
    }

    /** The client's own forwarding headers do not reach Halley through the docs' configuration. */
    @Test
    void forwardingHeadersThatTheClientSentAreDropped() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            start("", X_FORWARDED, Map.of());
            HttpResponse<String> r = post("/page", "{}", "Origin", "http://evil.example",
                    "X-Forwarded-Host", "evil.example", "X-Forwarded-Port", "80", "X-Forwarded-Proto", "http",
                    "Forwarded", "proto=http;host=evil.example");
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("this server is " + apache.origin()), r.body());
        });
    }

    /**
     * With Debian's default {@code mod_deflate} a browser's forever-iframe ({@code text/html},
     * {@code Accept-Encoding: gzip}) comes gzipped, and each frame still arrives while the stream
     * is held: mod_proxy_http flushes when Jetty has nothing more to send, and mod_deflate
     * sync-flushes on each flush.
     */
    @Test
    void withDebiansDefaultModDeflateTheGzippedIframeStillDeliversEachFrame() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start("", DEBIAN_DEFLATE, NO_FILLER);
            HttpResponse<String> opened = post("/page", "{}");
            assertEquals(200, opened.statusCode(), opened.body() + "\n" + apache.log());
            String page = JsonParser.parseString(opened.body()).getAsJsonObject().get("page").getAsString();
            HttpRequest req = HttpRequest.newBuilder(URI.create(base() + "/iframe?page=" + page + "&since=0"))
                    .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(15)).GET().build();
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode(), apache.log());
            assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse("none"), r.headers().toString());
            try (InputStream in = new GZIPInputStream(r.body(), 64)) {
                for (String marker : List.of("gzipped-frame-1", "gzipped-frame-2")) {
                    server.page(page).writer().text("#x", marker).flush();
                    StringBuilder got = new StringBuilder();
                    byte[] buf = new byte[8192];
                    int n;
                    while (got.indexOf(marker) < 0 && (n = in.read(buf)) >= 0) got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    assertTrue(got.indexOf(marker) >= 0, "the iframe ended without " + marker + ": " + got);
                }
            }
        });
    }

    @Test
    void withoutForwardingHeadersTheRefusalNamesBothOrigins() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            start("", NO_FORWARDING, Map.of());
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
            start("", X_FORWARDED, Map.of("trustedProxies", "192.0.2.0/24")); // not where httpd connects from
            HttpResponse<String> r = post("/page", "{}");
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("this server is http://127.0.0.1:" + server.port()), r.body());
        });
    }
}
