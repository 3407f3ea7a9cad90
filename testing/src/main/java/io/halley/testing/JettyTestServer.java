package io.halley.testing;

import io.halley.core.Halley;
import io.halley.servlet.CometServlet;
import io.halley.servlet.HalleySessionListener;
import io.halley.testing.http2.JettyConnectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The {@link TestServer} on embedded Jetty 12 (ee10), built by {@link TestServer.Builder#start()}; its
 * port speaks the builder's {@code Http2Mode} ({@link JettyConnectors}).
 */
final class JettyTestServer extends TestServer {
    private final Server server = new Server();
    private final ServerConnector connector;
    private final ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    private final int port;
    private volatile boolean stopped;

    JettyTestServer(TestServer.Builder b, CometServlet servlet) throws Exception {
        super(servlet, b.contextPath, b.runtime, b.mode);
        connector = JettyConnectors.connector(server, b.mode, b.port);
        server.addConnector(connector);
        context.setContextPath(b.contextPath.isEmpty() ? "/" : b.contextPath);
        if (b.sessionCookie != null) context.getSessionHandler().setSessionCookie(b.sessionCookie);
        if (b.runtime != null) context.setAttribute(Halley.class.getName(), b.runtime);
        ServletHolder holder = new ServletHolder("halley", servlet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        b.initParams.forEach(holder::setInitParameter);
        context.addServlet(holder, "/halley/*");
        b.extraServlets.forEach((path, s) -> context.addServlet(new ServletHolder(s), path));
        context.addEventListener(new HalleySessionListener());
        if (b.contextCustomizer != null) b.contextCustomizer.accept(context);
        enableWebSocketsIfPresent(context);
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        port = connector.getLocalPort();
    }

    /**
     * Gives the context Jetty's Jakarta WebSocket server ({@code jetty-ee10-websocket-jakarta-server})
     * when it is on the class path, as a Jetty distribution's {@code ee10-websocket-jakarta}
     * module does: Halley's {@code /ws} transport then works. Without it, {@code /ws} answers 404.
     */
    private static void enableWebSocketsIfPresent(ServletContextHandler context) throws Exception {
        Class<?> sci;
        try {
            sci = Class.forName("org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer");
        } catch (ClassNotFoundException absent) {
            return;
        }
        for (java.lang.reflect.Method m : sci.getMethods()) {
            if (m.getName().equals("configure") && m.getParameterCount() == 2
                    && m.getParameterTypes()[0].isAssignableFrom(ServletContextHandler.class)) {
                m.invoke(null, context, null);
                return;
            }
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void stop() throws Exception {
        stopped = true;
        server.stop();
    }

    @Override
    public void undeploy() throws Exception {
        stopped = true;
        context.stop();
    }

    @Override
    public boolean isStopped() {
        return stopped;
    }
}
