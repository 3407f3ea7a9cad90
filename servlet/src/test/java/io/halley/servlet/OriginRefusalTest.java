package io.halley.servlet;

import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A foreign origin is refused with a body naming the origin seen and the one expected, and logged
 * once per origin at WARN with a pointer to the deployment docs; forwarding headers from a
 * trusted peer (loopback by default) make the forwarded origin the server's own.
 */
class OriginRefusalTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void aRefusalNamesBothOriginsAndIsLoggedOncePerOrigin() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                for (int i = 0; i < 3; i++) {
                    HttpBrowser.Resp r = b.post("/page", "{}", "Origin", "https://public.example");
                    r.assertError(403);
                    assertEquals("origin not allowed: the request came from https://public.example but this server is "
                            + b.origin() + " (behind a proxy? forward the public Host; see docs/deployment.md)",
                            r.json().get("error").getAsString());
                }
                b.post("/page", "{}", "Origin", "https://other.example").assertError(403);
            } finally {
                System.setErr(original);
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            long warnsPublic = Arrays.stream(log.split("\n"))
                    .filter(l -> l.contains("WARN") && l.contains("from origin https://public.example")).count();
            long warnsOther = Arrays.stream(log.split("\n"))
                    .filter(l -> l.contains("WARN") && l.contains("from origin https://other.example")).count();
            assertEquals(1, warnsPublic, log);
            assertEquals(1, warnsOther, log);
            assertTrue(log.contains("docs/deployment.md"), log);
        });
    }

    @Test
    void forwardingHeadersFromLoopbackGiveTheServersPublicOrigin() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            assertEquals(200, b.post("/page", "{}", "Origin", "https://app.example",
                    "X-Forwarded-Host", "app.example", "X-Forwarded-Proto", "https").status());
            assertEquals(200, b.post("/page", "{}", "Origin", "https://app.example:8443",
                    "X-Forwarded-Host", "app.example", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "8443").status());
            assertEquals(200, b.post("/page", "{}", "Origin", "https://app.example",
                    "Forwarded", "for=192.0.2.1;proto=https;host=\"app.example\", for=10.0.0.1").status());
            // Forwarded wins over X-Forwarded-*; and the direct origin is no longer the server's own
            b.post("/page", "{}", "Origin", "https://app.example", "Forwarded", "proto=https;host=other.example",
                    "X-Forwarded-Host", "app.example", "X-Forwarded-Proto", "https").assertError(403);
            b.post("/page", "{}", "Origin", b.origin(), "X-Forwarded-Host", "app.example",
                    "X-Forwarded-Proto", "https").assertError(403);
            // a scheme alone: the Host header stays the public host
            assertEquals(200, b.post("/page", "{}", "Origin", "https://127.0.0.1:" + server.port(),
                    "X-Forwarded-Proto", "https").status());
        });
    }

    @Test
    void withNoTrustedProxyTheHeadersAreIgnored() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            var params = TestServer.fastParams();
            params.put("trustedProxies", "");
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            b.post("/page", "{}", "Origin", "https://app.example", "X-Forwarded-Host", "app.example",
                    "X-Forwarded-Proto", "https").assertError(403);
            assertEquals(200, b.post("/page", "{}", "Origin", b.origin(), "X-Forwarded-Host", "app.example").status());
        });
    }
}
