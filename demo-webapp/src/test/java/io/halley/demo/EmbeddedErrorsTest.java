package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's embedded Jetty answers its own errors under {@code /halley/} with JSON, as Halley answers its own. */
class EmbeddedErrorsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOverLongUriUnderHalleyIsAJson414() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (EmbeddedServer server = EmbeddedServer.start(new EmbeddedServer.Options("127.0.0.1", 0,
                    Duration.ofSeconds(20), Duration.ofSeconds(15)))) {
                String base = "http://127.0.0.1:" + server.port();
                HttpResponse<String> r = get(URI.create(base + "/halley/page?page=" + "A".repeat(20_000)));
                assertEquals(414, r.statusCode(), r.body());
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                        r.headers().toString());
                assertEquals("URI Too Long", JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString());
                assertFalse(r.body().contains("<"), r.body());

                // an over-long header on a Halley path: 431, JSON too
                HttpResponse<String> h = get(URI.create(base + "/halley/page"), "X-Big", "b".repeat(20_000));
                assertEquals(431, h.statusCode(), h.body());
                assertTrue(h.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), h.body());

                // Halley's own answers are untouched, and the static files' errors keep their page
                HttpResponse<String> gone = get(URI.create(base + "/halley/page?page=AAAAAAAAAAAAAAAAAAAAAA"));
                assertEquals(404, gone.statusCode());
                assertTrue(gone.body().startsWith("{\"error\""), gone.body());
                HttpResponse<String> other = get(URI.create(base + "/no-such-file.html"));
                assertEquals(404, other.statusCode());
                assertFalse(other.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                        other.headers().toString());
            }
        });
    }
}
