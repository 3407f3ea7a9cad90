package io.halley.demo;

import io.halley.core.Halley;
import io.halley.demo.https.Https;
import io.halley.demo.https.Tls;
import io.halley.servlet.CometServlet;
import io.halley.servlet.HalleyPages;
import io.halley.servlet.HalleySessionListener;
import java.net.URI;
import java.net.URL;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SecuredRedirectHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The demo on an embedded Jetty 12 (ee10): the same app as the WAR, wired in code. A plain-http
 * {@link ServerConnector}; a context at {@code /} with sessions; {@link DemoApp} (the runtime and
 * the demo servlets) and {@link HalleySessionListener} as listeners; {@link CometServlet} at
 * {@code /halley/*} with async support, initialised after the listeners so it finds the runtime;
 * and Jetty's {@link DefaultServlet} for the static files, read from the classpath folder
 * {@code webapp/} (the WAR's root). With a Redis URI ({@link Options#cluster}) the runtime runs on
 * Redis ({@link ScaleOut}), so that several servers form one system. With {@link Options#https}
 * a second connector serves TLS, HTTP/2 and HTTP/1.1 by ALPN ({@link Https}), and the plain one
 * redirects every request to it (so that a browser never mixes the {@code Secure} cookies of the
 * one with the plain cookies of the other on one host).
 *
 * <pre>{@code
 * try (EmbeddedServer server = EmbeddedServer.start(0)) {
 *     System.out.println(server.uri());
 * }
 * }</pre>
 */
public final class EmbeddedServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final ServerConnector httpsConnector;
    private final Tls tls;
    private final ServletContextHandler context;
    private final DemoApp app;

    private EmbeddedServer(Server server, ServerConnector connector, ServerConnector httpsConnector, Tls tls,
                           ServletContextHandler context, DemoApp app) {
        this.server = server;
        this.connector = connector;
        this.httpsConnector = httpsConnector;
        this.tls = tls;
        this.context = context;
        this.app = app;
    }

    /**
     * How to start: host ({@code null} = every interface), port ({@code 0} = any free one), the
     * page lease (how long a page outlives its last transport), the heartbeat of held streams
     * (which is also how soon the server notices a browser that vanished without a word), the
     * Redis URI ({@code null}: one node alone, in memory), the node id ({@code null}: a random
     * one), how often the announcements of the channels demo come, the HTTPS listener
     * ({@code null}: plain http only), and the servlet's {@code sharedPageTimeout} ({@code null}:
     * its default, 2 min).
     */
    public record Options(String host, int port, Duration pageLease, Duration heartbeat, String redis, String node,
                          Duration announceEvery, Https https, Duration sharedPageTimeout) {
        public Options {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535: " + port);
            Objects.requireNonNull(pageLease, "pageLease");
            Objects.requireNonNull(heartbeat, "heartbeat");
            Objects.requireNonNull(announceEvery, "announceEvery");
        }

        /** One node alone, announcements every 10 s. */
        public Options(String host, int port, Duration pageLease, Duration heartbeat) {
            this(host, port, pageLease, heartbeat, null, null, DemoApp.ANNOUNCE_EVERY, null, null);
        }

        /** Every interface, {@code port}, the defaults: 20 s lease, 15 s heartbeat. */
        public static Options port(int port) {
            return new Options(null, port, Duration.ofSeconds(20), Duration.ofSeconds(15));
        }

        /** A copy on Redis at {@code uri} as node {@code node} (either may be null). */
        public Options cluster(String uri, String node) {
            return new Options(host, port, pageLease, heartbeat, uri, node, announceEvery, https, sharedPageTimeout);
        }

        /** A copy with an announcement every {@code every}. */
        public Options announceEvery(Duration every) {
            return new Options(host, port, pageLease, heartbeat, redis, node, every, https, sharedPageTimeout);
        }

        /** A copy that also listens for HTTPS as {@code https} says ({@code null}: plain http only). */
        public Options https(Https https) {
            return new Options(host, port, pageLease, heartbeat, redis, node, announceEvery, https, sharedPageTimeout);
        }

        /** A copy whose servlet takes a page off its browser's shared stream after {@code timeout} without word from its tab. */
        public Options sharedPageTimeout(Duration timeout) {
            return new Options(host, port, pageLease, heartbeat, redis, node, announceEvery, https, timeout);
        }
    }

    /** Starts the demo on {@code port} of every interface (0: a free port; see {@link #port()}). */
    public static EmbeddedServer start(int port) throws Exception {
        return start(Options.port(port));
    }

    /** Starts the demo as {@code options} say and returns it running. */
    public static EmbeddedServer start(Options options) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // Jetty's header field cache keeps a ~96 KB trie on every connection that carried two
        // requests (page open, then its stream): far more than a held page costs (see the bench)
        http.setHeaderCacheSize(0);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);
        ServerConnector httpsConnector = options.https() == null ? null : options.https().connector(server, http, options.host());
        if (httpsConnector != null) server.addConnector(httpsConnector);

        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.SESSIONS);
        ctx.setContextPath("/");
        URL webapp = EmbeddedServer.class.getClassLoader().getResource("webapp");
        if (webapp == null) throw new IllegalStateException("no webapp/ folder on the classpath");
        ctx.setBaseResource(ResourceFactory.of(ctx).newResource(webapp));
        ctx.setWelcomeFiles(new String[] {"index.html"});
        ctx.setProtectedTargets(new String[] {"/WEB-INF", "/META-INF"});

        // a node of several gets an id (random unless given) and its own session cookie: nodes on
        // one host share cookies (a cookie ignores the port), so that one browser can use two nodes
        // at once; sessions are per node anyway
        String node = options.node() != null ? options.node()
                : options.redis() != null ? Long.toString(new SecureRandom().nextLong() >>> 24, 36) : null;
        if (node != null) ctx.getSessionHandler().setSessionCookie("HALLEY_DEMO_" + node.replaceAll("[^A-Za-z0-9_-]", "_"));
        DemoApp app = new DemoApp(b -> {
            b.pageLease(options.pageLease());
            if (node != null) b.nodeId(node);
            if (options.redis() != null) ScaleOut.configure(b, options.redis());
        }, options.announceEvery());
        ctx.addEventListener(app);
        ctx.addEventListener(new HalleySessionListener());
        // Jetty's Jakarta WebSocket server in this context: Halley's /halley/ws transport upgrades through it
        org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer.configure(ctx, null);

        ServletHolder comet = new ServletHolder("halley", CometServlet.class);
        comet.setAsyncSupported(true);
        comet.setInitOrder(1);
        comet.setInitParameter("heartbeat", options.heartbeat().toString());
        if (options.sharedPageTimeout() != null) comet.setInitParameter("sharedPageTimeout", options.sharedPageTimeout().toString());
        ctx.addServlet(comet, "/halley/*");

        ServletHolder files = new ServletHolder("default", DefaultServlet.class);
        files.setInitParameter("dirAllowed", "false");
        ctx.addServlet(files, "/");

        // with https, plain requests get a redirect to the https port (known once its connector is open)
        server.setHandler(httpsConnector == null ? ctx : new SecuredRedirectHandler(ctx));
        server.setErrorHandler(new JsonErrors()); // Jetty's own errors under /halley/ as JSON, like Halley's
        server.setStopAtShutdown(true); // SIGTERM, Ctrl-C: a JVM shutdown hook stops Jetty, DemoApp closes Halley
        // no graceful phase: it would wait its whole timeout for the held streams, which end only
        // when CometServlet is destroyed, after it
        server.setStopTimeout(0);
        try {
            if (httpsConnector != null) {
                httpsConnector.open();
                http.setSecurePort(httpsConnector.getLocalPort()); // SecuredRedirectHandler's (scheme https by default)
            }
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new EmbeddedServer(server, connector, httpsConnector, options.https() == null ? null : options.https().tls(),
                ctx, app);
    }

    /** The port the connector listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://<host>:<port>/}, with {@code localhost} when listening on every interface. */
    public URI uri() {
        return uri("http", connector);
    }

    /**
     * {@code https://<host>:<port>/} of the HTTPS connector, as {@link #uri()}.
     *
     * @throws IllegalStateException when the server was started without {@link Options#https}
     */
    public URI httpsUri() {
        if (httpsConnector == null) throw new IllegalStateException("started without https");
        return uri("https", httpsConnector);
    }

    /** The key and certificate of the HTTPS connector, or null without one. */
    public Tls tls() {
        return tls;
    }

    private static URI uri(String scheme, ServerConnector c) {
        String host = c.getHost() == null || c.getHost().equals("0.0.0.0") ? "localhost" : c.getHost();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) host = "[" + host + "]";
        return URI.create(scheme + "://" + host + ":" + c.getLocalPort() + "/");
    }

    /** The demo's runtime. */
    public Halley halley() {
        return HalleyPages.halley(context.getServletContext());
    }

    /** The mounted {@code CometServlet} (for tests: its connection accounting). */
    io.halley.servlet.CometServlet comet() {
        try {
            return (io.halley.servlet.CometServlet) context.getServletHandler().getServlet("halley").getServlet();
        } catch (jakarta.servlet.ServletException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The application listener (for tests). */
    DemoApp app() {
        return app;
    }

    /** The plain-http connector: stop and start it to cut every connection and take it back on the same port. */
    public ServerConnector connector() {
        return connector;
    }

    /** Waits until the server stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops the server: held streams end, then the runtime closes.
     *
     * @throws IllegalStateException when Jetty fails to stop
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the server did not stop cleanly", e);
        }
    }
}
