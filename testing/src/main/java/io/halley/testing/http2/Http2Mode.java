package io.halley.testing.http2;

import java.net.http.HttpClient;

/**
 * The protocol a test server speaks on its one port: plain HTTP/1.1, h2c (HTTP/2 in clear text,
 * reached by the HTTP/1.1 {@code Upgrade: h2c} of the JDK client or by prior knowledge; HTTP/1.1
 * still answered on the same port), or h2 over TLS with ALPN (HTTP/1.1 over TLS still answered to
 * a client that offers no {@code h2}, e.g. a WebSocket upgrade of the JDK client). TLS uses the
 * {@link SelfSignedKeystore}.
 */
public enum Http2Mode {
    /** HTTP/1.1 only, in clear text: what the kit's servers speak by default. */
    HTTP_1_1,
    /** HTTP/1.1 and h2c on one clear-text port. */
    H2C,
    /** TLS with ALPN offering {@code h2} and {@code http/1.1}; a self-signed certificate. */
    H2;

    /** {@code "https"} for {@link #H2}, else {@code "http"}. */
    public String scheme() {
        return tls() ? "https" : "http";
    }

    /** Whether the port speaks TLS. */
    public boolean tls() {
        return this == H2;
    }

    /** Whether the port speaks HTTP/2 (clear text or over TLS). */
    public boolean http2() {
        return this != HTTP_1_1;
    }

    /** The JDK client version that reaches this mode's HTTP/2 (HTTP/1.1 for {@link #HTTP_1_1}). */
    public HttpClient.Version clientVersion() {
        return http2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
    }
}
