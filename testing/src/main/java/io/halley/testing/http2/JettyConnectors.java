package io.halley.testing.http2;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The Jetty 12 connector of an {@link Http2Mode}, as Jetty's HTTP/2 documentation builds it:
 * <ul>
 *   <li>{@link Http2Mode#HTTP_1_1}: {@link HttpConnectionFactory} only;</li>
 *   <li>{@link Http2Mode#H2C}: {@link HttpConnectionFactory} and {@link HTTP2CServerConnectionFactory}
 *       (upgrade from HTTP/1.1 and prior knowledge);</li>
 *   <li>{@link Http2Mode#H2}: {@link SslConnectionFactory} (the {@link SelfSignedKeystore}) then
 *       {@link ALPNServerConnectionFactory} choosing {@code h2} or {@code http/1.1} (the default, for
 *       a client without ALPN), with {@link SecureRequestCustomizer} so that requests are secure.
 *       ALPN needs {@code jetty-alpn-java-server} on the class path (the JDK's ALPN).</li>
 * </ul>
 * Both HTTP/2 factories keep Jetty's defaults, among them RFC 8441's extended CONNECT
 * ({@code SETTINGS_ENABLE_CONNECT_PROTOCOL}, WebSocket over HTTP/2) enabled, which is asserted
 * here so that a changed default shows. Not started; the caller adds it to the server.
 */
public final class JettyConnectors {
    private JettyConnectors() {
    }

    /** A connector of {@code server} on {@code 127.0.0.1:port} (0 for a random port) speaking {@code mode}. */
    public static ServerConnector connector(Server server, Http2Mode mode, int port) {
        HttpConfiguration config = new HttpConfiguration();
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        ServerConnector connector;
        switch (mode) {
            case H2C: {
                HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(config);
                requireConnectProtocol(h2c.isConnectProtocolEnabled());
                connector = new ServerConnector(server, http11, h2c);
                break;
            }
            case H2: {
                SecureRequestCustomizer secure = new SecureRequestCustomizer();
                secure.setSniHostCheck(false); // clients of 127.0.0.1 send no SNI
                config.addCustomizer(secure);
                HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
                requireConnectProtocol(h2.isConnectProtocolEnabled());
                ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), http11.getProtocol());
                alpn.setDefaultProtocol(http11.getProtocol());
                SelfSignedKeystore keys = SelfSignedKeystore.shared();
                SslContextFactory.Server tls = new SslContextFactory.Server();
                tls.setKeyStorePath(keys.path().toString());
                tls.setKeyStorePassword(keys.password());
                tls.setKeyStoreType(keys.type());
                connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11);
                break;
            }
            default:
                connector = new ServerConnector(server, http11);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setReuseAddress(true);
        return connector;
    }

    private static void requireConnectProtocol(boolean enabled) {
        if (!enabled) throw new IllegalStateException("Jetty's HTTP/2 no longer enables extended CONNECT by default");
    }
}
