package io.halley.redis.cluster;

import io.halley.core.Halley;
import io.halley.servlet.CometServlet;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/**
 * One named Halley web node: a kit {@link TestServer} (embedded Jetty on {@code 127.0.0.1:port},
 * root context, sessions) serving the given (Redis-backed) {@link Halley}, which the test owns.
 * {@code allowedOrigins} lets pages of the other nodes and of the static page server use this
 * node. Pages of a browser without a session are bound to the {@code HALLEY_BROWSER} cookie,
 * which every node accepts; when pages are bound to HTTP sessions ({@code createSessions}, or an
 * application's own sessions) each node's session cookie needs its own name ({@link #cookieName},
 * {@code HALLEY_<NAME>}): cookies do not isolate ports, so nodes sharing a host name would
 * otherwise overwrite each other's session cookie in a browser that talks to both
 * ({@code CrossOriginNodesTest}).
 */
final class WebNode implements AutoCloseable {
    final String name;
    final Halley halley;
    final CometServlet servlet;
    private final TestServer server;

    private WebNode(String name, TestServer server, Halley halley) {
        this.name = name;
        this.server = server;
        this.halley = halley;
        this.servlet = server.servlet();
    }

    static WebNode start(String name, int port, Halley halley, Collection<String> allowedOrigins, Duration heartbeat,
                         String sessionCookie, boolean createSessions) throws Exception {
        TestServer server = TestServer.jetty().port(port).runtime(halley).sessionCookie(sessionCookie)
                .settings(s -> s.allowedOrigins(allowedOrigins).heartbeat(heartbeat).pollTimeout(Duration.ofSeconds(2))
                        .createSessions(createSessions))
                .start();
        return new WebNode(name, server, halley);
    }

    static String cookieName(String node) {
        return "HALLEY_" + node.toUpperCase(Locale.ROOT);
    }

    static String origin(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** The kit server of this node (what the kit's {@code HttpBrowser} opens pages on). */
    TestServer server() {
        return server;
    }

    String origin() {
        return server.origin();
    }

    /** {@code http://127.0.0.1:port/halley}: what halley.js takes as a base. */
    String base() {
        return server.base().toString();
    }

    URI uri(String path) {
        return server.uri(path);
    }

    int port() {
        return server.port();
    }

    boolean isStopped() {
        return server.isStopped();
    }

    /** Stops Jetty (the servlet ends its held streams); the runtime keeps running until {@link #close()}. */
    void stopJetty() throws Exception {
        server.stop();
    }

    /**
     * Undeploys the web application (its context stops: the servlet ends its streams) while Jetty
     * keeps listening and answers the node's URLs with an error: a node that is up but does not
     * serve Halley.
     */
    void undeploy() throws Exception {
        server.undeploy();
    }

    /**
     * The node dies: Jetty stops and its runtime closes (its pages, its Redis connections). Not
     * the kit's checked {@code close()}: other nodes' threads are still alive; the base class
     * checks for leaks once all nodes are down.
     */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            halley.close();
        }
    }

    @Override
    public String toString() {
        return "node " + name + " at " + base();
    }
}
