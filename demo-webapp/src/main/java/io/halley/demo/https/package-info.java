/**
 * HTTPS for the embedded demo ({@code java -jar halley-demo.jar --https}): {@link io.halley.demo.https.Tls}
 * is the server's key and certificate (a self-signed one generated at start, or one read from a
 * keystore), {@link io.halley.demo.https.SelfSignedKeyStore} writes such a self-signed PKCS12 with
 * the JDK's {@code keytool}, and {@link io.halley.demo.https.Https} is the listener: TLS whose ALPN
 * offers {@code h2} first and {@code http/1.1} after it, on its own port. Part of the executable jar
 * only; the WAR leaves this package out (its container does TLS).
 */
package io.halley.demo.https;
