package io.halley.testing.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Apache httpd launcher with Debian's real {@code apache2}. */
class ApacheTest {
    @Test
    void proxiesToTheUpstreamOnItsOwnPortAndCloseStopsIt() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (TestServer server = TestServer.jetty().start()) {
                int port;
                try (Apache apache = Apache.start(List.of("ProxyPass / http://127.0.0.1:" + server.port() + "/"))) {
                    port = apache.port;
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apache.origin() + "/halley/halley.js"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), apache.log());
                    assertTrue(r.body().contains("Halley"), r.body());
                }
                assertThrows(IOException.class, () -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    }
                }, "httpd still accepts on " + port + " after close()");
            }
        });
    }

    @Test
    void aConfigurationHttpdRefusesFailsTheStartWithItsErrorLog() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            IOException e = assertThrows(IOException.class, () -> Apache.start(List.of("NoSuchDirective on")).close());
            assertTrue(e.getMessage().contains("NoSuchDirective"), e.getMessage());
        });
    }
}
