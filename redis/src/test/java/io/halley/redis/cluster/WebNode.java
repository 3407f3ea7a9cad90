package io.halley.redis.cluster;

import io.halley.core.Halley;
import io.halley.servlet.CometServlet;
import io.halley.servlet.CometSettings;
import io.halley.servlet.HalleySessionListener;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One Halley web node: an embedded Jetty 12 (ee10) on {@code 127.0.0.1:port} with sessions, the
 * {@link HalleySessionListener} and a {@link CometServlet} at {@code /halley/*} serving the given
 * (Redis-backed) {@link Halley}, which the test owns. {@code allowedOrigins} lets pages of the
 * other nodes and of the static page server use this node. Pages of a browser without a session
 * are bound to the {@code HALLEY_BROWSER} cookie, which every node accepts; when pages are bound
 * to HTTP sessions ({@code createSessions}, or an application's own sessions) each node's session
 * cookie needs its own name ({@link #cookieName}, {@code HALLEY_<NAME>}): cookies do not isolate
 * ports, so nodes sharing a host name would otherwise overwrite each other's session cookie in a
 * browser that talks to both ({@code CrossOriginNodesTest}).
 */
final class WebNode implements AutoCloseable {
    final String name;
    final Halley halley;
    final CometServlet servlet;
    private final Server server = new Server();
    private final ServletContextHandler ctx;
    private final ServerConnector connector = new ServerConnector(server);
    private final int port;
    private volatile boolean stopped;

    private WebNode(String name, int port, Halley halley, Collection<String> allowedOrigins, Duration heartbeat,
                    String sessionCookie, boolean createSessions) throws Exception {
        this.name = name;
        this.port = port;
        this.halley = halley;
        this.servlet = new CometServlet() {
            @Override
            protected void configure(CometSettings.Builder s) {
                s.allowedOrigins(allowedOrigins).heartbeat(heartbeat).pollTimeout(Duration.ofSeconds(2))
                        .createSessions(createSessions);
            }
        };
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ctx = new ServletContextHandler(ServletContextHandler.SESSIONS);
        ctx.setContextPath("/");
        ctx.getSessionHandler().setSessionCookie(sessionCookie);
        ctx.setAttribute(Halley.class.getName(), halley);
        ServletHolder holder = new ServletHolder("halley", servlet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        ctx.addServlet(holder, "/halley/*");
        ctx.addEventListener(new HalleySessionListener());
        server.setHandler(ctx);
        server.start();
    }

    static WebNode start(String name, int port, Halley halley, Collection<String> allowedOrigins, Duration heartbeat,
                         String sessionCookie, boolean createSessions) throws Exception {
        return new WebNode(name, port, halley, allowedOrigins, heartbeat, sessionCookie, createSessions);
    }

    static String cookieName(String node) {
        return "HALLEY_" + node.toUpperCase(Locale.ROOT);
    }

    static String origin(int port) {
        return "http://127.0.0.1:" + port;
    }

    String origin() {
        return origin(port);
    }

    /** {@code http://127.0.0.1:port/halley}: what halley.js takes as a base. */
    String base() {
        return origin() + "/halley";
    }

    URI uri(String path) {
        return URI.create(base() + path);
    }

    int port() {
        return port;
    }

    boolean isStopped() {
        return stopped;
    }

    /** Stops Jetty (the servlet ends its held streams); the runtime keeps running until {@link #close()}. */
    void stopJetty() throws Exception {
        stopped = true;
        server.stop();
    }

    /**
     * Undeploys the web application (its context stops: the servlet ends its streams) while Jetty
     * keeps listening and answers the node's URLs with an error: a node that is up but does not
     * serve Halley.
     */
    void undeploy() throws Exception {
        stopped = true;
        ctx.stop();
    }

    /** The node dies: Jetty stops and its runtime closes (its pages, its Redis connections). */
    @Override
    public void close() throws Exception {
        try {
            if (!server.isStopped()) stopJetty();
        } finally {
            stopped = true;
            halley.close();
        }
    }

    @Override
    public String toString() {
        return "node " + name + " at " + base();
    }
}
