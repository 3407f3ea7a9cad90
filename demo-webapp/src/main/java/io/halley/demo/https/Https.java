package io.halley.demo.https;

import java.util.Objects;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;

/**
 * The demo's HTTPS listener: {@code port} ({@code 0}: any free one) with the key and certificate
 * {@code tls}. TLS, then ALPN (the JDK's) offering {@code h2} first and {@code http/1.1} after it,
 * so that browsers speak HTTP/2 (every tab's streams on one connection) and a client without ALPN
 * still gets HTTP/1.1.
 */
public record Https(int port, Tls tls) {
    /** The port {@code --https} listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 8443;

    /**
     * @throws IllegalArgumentException for a port outside 0-65535
     * @throws NullPointerException without {@code tls}
     */
    public Https {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535: " + port);
        Objects.requireNonNull(tls, "tls");
    }

    /**
     * A new connector of {@code server} for this listener on {@code host} ({@code null}: every
     * interface), not added, not started: its requests are {@code isSecure()} with scheme
     * {@code https}, on a copy of {@code template} (the plain connector's configuration, so both
     * answer alike). HTTP/2 keeps Jetty's defaults: 128 concurrent streams a connection, and
     * WebSocket over h2 offered (RFC 8441's {@code CONNECT}, which Halley's {@code /ws} answers
     * with 405 today, so that {@code halley.js} falls back to its next transport).
     */
    public ServerConnector connector(Server server, HttpConfiguration template, String host) {
        HttpConfiguration config = new HttpConfiguration(template);
        config.setSecureScheme("https");
        config.addCustomizer(new SecureRequestCustomizer());
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        // no list: ALPN offers the protocols of the factories after it on the connector, in their
        // order (h2, then http/1.1; HttpConnectionFactory's own name "HTTP/1.1" is not ALPN's)
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        SslConnectionFactory ssl = new SslConnectionFactory(tls.sslContextFactory(), alpn.getProtocol());
        ServerConnector connector = new ServerConnector(server, ssl, alpn, h2, http11);
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
