package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.core.Page;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real servlet container on a random port with a {@link CometServlet} at {@code /app/halley/*},
 * sessions and the {@link HalleySessionListener}. {@link #close()} checks that nothing leaked:
 * no held request before stopping; after stopping no page and no Halley thread.
 */
public abstract class TestServer {

    public enum Container { JETTY, TOMCAT }

    public static final String CONTEXT = "/app";

    public final CometServlet servlet;

    public TestServer(CometServlet servlet) {
        this.servlet = servlet;
    }

    /** Settings for fast tests: short heartbeat, poll timeout and lease. */
    public static Map<String, String> fastParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("heartbeat", "0.2");
        p.put("pollTimeout", "PT1S");
        p.put("pageLease", "PT5S");
        return p;
    }

    public static TestServer start(Container c, Map<String, String> params) throws Exception {
        return start(c, new CometServlet(), params, Map.of());
    }

    public static TestServer start(Container c, CometServlet servlet, Map<String, String> params,
                            Map<String, HttpServlet> extra) throws Exception {
        return c == Container.JETTY ? new JettyServer(servlet, params, extra, 0) : new TomcatServer(servlet, params, extra);
    }

    /** A Jetty server on {@code port} (0 for a random one), e.g. to restart on the port of a stopped one. */
    public static TestServer startJetty(int port, Map<String, String> params) throws Exception {
        return new JettyServer(new CometServlet(), params, Map.of(), port);
    }

    public abstract int port();

    public abstract void stop() throws Exception;

    /** {@code http://127.0.0.1:port/app/halley}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + port() + CONTEXT + "/halley");
    }

    public URI root() {
        return URI.create("http://127.0.0.1:" + port() + CONTEXT);
    }

    public Halley halley() {
        return servlet.halley();
    }

    /** The live page {@code id}, whatever its session. */
    public Page page(String id) {
        return halley().pages().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no live page " + id));
    }

    /** Stops the server, asserting that nothing leaked: no held request before, nothing after. */
    public void close() throws Exception {
        try {
            awaitTrue("held connections drop to 0 (now " + servlet.heldConnections() + ")", Duration.ofSeconds(5),
                    () -> servlet.heldConnections() == 0);
        } finally {
            stopAndCheck();
        }
    }

    /** Stops the server now (streams may be held) and asserts that nothing is left. */
    public void stopAndCheck() throws Exception {
        Halley h = servlet.halley();
        stop();
        assertEquals(0, servlet.heldConnections(), "held connections after stop");
        assertEquals(0, h.pageCount(), "pages left after the runtime closed");
        awaitTrue("no Halley threads left", Duration.ofSeconds(5), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && (t.getName().startsWith("halley-servlet-timer")
                        || t.getName().startsWith("halley-scheduler") || t.getName().startsWith("halley-comet-"))));
    }

    /** Polls {@code condition} every 10 ms for at most {@code max}. */
    public static void awaitTrue(String what, Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                assertTrue(condition.getAsBoolean(), "timed out waiting: " + what);
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting: " + what);
            }
        }
    }

    private static final class JettyServer extends TestServer {
        private final Server server = new Server();
        private final ServerConnector connector = new ServerConnector(server);

        JettyServer(CometServlet servlet, Map<String, String> params, Map<String, HttpServlet> extra, int port) throws Exception {
            super(servlet);
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            connector.setReuseAddress(true);
            server.addConnector(connector);
            ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.SESSIONS);
            ctx.setContextPath(CONTEXT);
            ServletHolder holder = new ServletHolder("halley", servlet);
            holder.setAsyncSupported(true);
            holder.setInitOrder(1);
            params.forEach(holder::setInitParameter);
            ctx.addServlet(holder, "/halley/*");
            extra.forEach((path, s) -> ctx.addServlet(new ServletHolder(s), path));
            ctx.addEventListener(new HalleySessionListener());
            server.setHandler(ctx);
            server.start();
        }

        @Override
        public int port() {
            return connector.getLocalPort();
        }

        @Override
        public void stop() throws Exception {
            server.stop();
        }
    }

    private static final class TomcatServer extends TestServer {
        private final Tomcat tomcat = new Tomcat();
        private final Path dir;

        TomcatServer(CometServlet servlet, Map<String, String> params, Map<String, HttpServlet> extra) throws Exception {
            super(servlet);
            dir = Files.createTempDirectory("halley-tomcat");
            tomcat.setBaseDir(dir.toString());
            tomcat.setHostname("127.0.0.1");
            tomcat.setPort(0);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            StandardContext ctx = (StandardContext) tomcat.addContext(CONTEXT, Files.createDirectories(dir.resolve("docs")).toString());
            ctx.setClearReferencesObjectStreamClassCaches(false); // these need --add-opens; not what we test
            ctx.setClearReferencesRmiTargets(false);
            ctx.setClearReferencesThreadLocals(false);
            StandardManager manager = new StandardManager();
            manager.setPathname(null); // no session persistence across restarts
            ctx.setManager(manager);
            Wrapper w = Tomcat.addServlet(ctx, "halley", servlet);
            w.setAsyncSupported(true);
            w.setLoadOnStartup(1);
            params.forEach(w::addInitParameter);
            ((Context) ctx).addServletMappingDecoded("/halley/*", "halley", false);
            int i = 0;
            for (Map.Entry<String, HttpServlet> e : extra.entrySet()) {
                String name = "extra" + i++;
                Tomcat.addServlet(ctx, name, e.getValue());
                ((Context) ctx).addServletMappingDecoded(e.getKey(), name, false);
            }
            ctx.addApplicationListener(HalleySessionListener.class.getName());
            tomcat.start();
        }

        @Override
        public int port() {
            return tomcat.getConnector().getLocalPort();
        }

        @Override
        public void stop() throws Exception {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
