/**
 * HTTP/2 for tests: the protocol a test server speaks ({@link io.halley.testing.http2.Http2Mode}:
 * HTTP/1.1, h2c, h2 over TLS with ALPN), the self-signed certificate of the TLS servers
 * ({@link io.halley.testing.http2.SelfSignedKeystore}, made by the JDK's {@code keytool}), JDK
 * clients that speak HTTP/2 and trust it ({@link io.halley.testing.http2.Http2Clients}), and the
 * Jetty 12 connector of each mode ({@link io.halley.testing.http2.JettyConnectors}).
 *
 * <pre>{@code
 * try (TestServer server = TestServer.jetty().http2(Http2Mode.H2).start()) {
 *     HttpBrowser browser = new HttpBrowser(server); // speaks HTTP/2 over TLS, trusts the certificate
 *     ...
 * }
 * }</pre>
 *
 * <p>Public API of the testing kit, for tests only.
 */
package io.halley.testing.http2;
