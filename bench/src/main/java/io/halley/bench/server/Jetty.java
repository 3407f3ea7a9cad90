package io.halley.bench.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The one Jetty configuration that all three servers share, so that only the framework differs. */
public final class Jetty {
    /** Connector idle timeout: above Halley's 15 s heartbeat and CometD's 30 s /meta/connect. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);

    /** The buffer pools of the servers this JVM started (one in a server JVM), for {@link #clearPools()}. */
    private static final List<ArrayByteBufferPool> POOLS = new CopyOnWriteArrayList<>();

    private Jetty() {
    }

    /**
     * Empties the buffer pools of this JVM's servers of the buffers no connection holds, so that
     * after a GC the JVM's direct memory is what connections hold: a held response keeps its
     * output buffer from its first small write to its completion (32 KiB at Jetty's default
     * {@code outputBufferSize}, or the size the application set with {@code setBufferSize}),
     * and a released one would otherwise stay in the pool, counted once, for whichever
     * connection comes next. The next connections allocate afresh. Any thread.
     */
    static void clearPools() {
        for (ArrayByteBufferPool p : POOLS) p.clear();
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
        ArrayByteBufferPool buffers = new ArrayByteBufferPool(); // Jetty's default pool, named to be measured
        POOLS.add(buffers);
        Server server = new Server(pool, null, buffers);
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
