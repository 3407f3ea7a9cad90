package io.halley.servlet;

import io.halley.testing.TestServer;
import io.halley.testing.http2.Http2Mode;
import io.halley.testing.http2.JettyConnectors;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The {@link CometServlet} in Jetty 12.1's ee11 environment (Servlet 6.1), deployed as the kit's
 * ee10 {@code JettyTestServer} deploys it: a context with sessions, the servlet with async support
 * at {@code /halley/*}, the {@link HalleySessionListener}, and ee11's Jakarta WebSocket server
 * (for {@code /ws}). {@link Container#start} loads it by
 * name when {@code halley.test.jettyEnvironment=ee11}.
 */
final class JettyEe11TestServer extends TestServer {
    private final Server server = new Server();
    private final ServerConnector connector;
    private final ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    private final int port;
    private volatile boolean stopped;

    JettyEe11TestServer(CometServlet servlet, String contextPath, Map<String, String> params,
                        Map<String, HttpServlet> extra) throws Exception {
        this(servlet, contextPath, params, extra, Http2Mode.HTTP_1_1);
    }

    /** As above, the port speaking {@code mode} (the kit's {@link JettyConnectors}: h2c, or h2 over TLS). */
    JettyEe11TestServer(CometServlet servlet, String contextPath, Map<String, String> params,
                        Map<String, HttpServlet> extra, Http2Mode mode) throws Exception {
        super(servlet, contextPath, null, mode);
        connector = JettyConnectors.connector(server, mode, 0);
        server.addConnector(connector);
        context.setContextPath(contextPath.isEmpty() ? "/" : contextPath);
        ServletHolder holder = new ServletHolder("halley", servlet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        params.forEach(holder::setInitParameter);
        context.addServlet(holder, "/halley/*");
        extra.forEach((path, s) -> context.addServlet(new ServletHolder(s), path));
        context.addEventListener(new HalleySessionListener());
        // ee11's Jakarta WebSocket server, as the ee10 JettyTestServer has ee10's: Halley's /ws works here too
        org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer.configure(context, null);
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        port = connector.getLocalPort();
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
