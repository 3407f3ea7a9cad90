package io.halley.bench.server;

import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The one Jetty configuration that all three servers share, so that only the framework differs. */
public final class Jetty {
    /** Connector idle timeout: above Halley's 15 s heartbeat and CometD's 30 s /meta/connect. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);

    private Jetty() {
    }

    /**
     * Jetty's per-connection header field cache: by default (1,024 fields) Jetty builds a trie of
     * about 96 KB for every connection that carries a second request (Halley's page open then
     * stream, every long-poll, every iframe rotation) and keeps it as long as the connection
     * lives. Held comet connections do not profit from it, so the bench turns it off on all
     * three servers; {@code -Dbench.headerCacheSize=1024} restores Jetty's default.
     */
    static final int HEADER_CACHE_SIZE = Integer.getInteger("bench.headerCacheSize", 0);

    /** A server with Jetty's default thread pool (200 threads) and one loopback connector. */
    static Server server(int port) {
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("jetty");
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setHeaderCacheSize(HEADER_CACHE_SIZE);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setStopTimeout(2000);
        return server;
    }

    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    static void stop(Server server, Duration timeout) {
        try {
            server.setStopTimeout(timeout.toMillis());
            server.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // held streams do not finish gracefully within the short stop timeout: expected
        } catch (Exception e) {
            System.err.println("stopping Jetty: " + e);
        }
    }
}
