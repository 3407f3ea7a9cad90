package io.halley.testing.http2;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * JDK {@link HttpClient}s for a test server of an {@link Http2Mode}: HTTP/2 preferred for
 * {@link Http2Mode#H2C} (the client upgrades a new connection with {@code Upgrade: h2c} on its
 * first request without a body, so a {@code POST} on a fresh connection still goes over HTTP/1.1)
 * and {@link Http2Mode#H2} (ALPN), trusting the {@link SelfSignedKeystore}; HTTP/1.1 for
 * {@link Http2Mode#HTTP_1_1}. Check {@code HttpResponse.version()} to know what a response used.
 */
public final class Http2Clients {
    private Http2Clients() {
    }

    /** A builder with the mode's version, a 5 s connect timeout and, for TLS, the trusting context. */
    public static HttpClient.Builder builder(Http2Mode mode) {
        HttpClient.Builder b = HttpClient.newBuilder().version(mode.clientVersion()).connectTimeout(Duration.ofSeconds(5));
        if (mode.tls()) b.sslContext(SelfSignedKeystore.shared().trustingContext());
        return b;
    }

    /** {@link #builder(Http2Mode)} built. */
    public static HttpClient client(Http2Mode mode) {
        return builder(mode).build();
    }
}
