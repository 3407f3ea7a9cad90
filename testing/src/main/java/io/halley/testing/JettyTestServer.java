package io.halley.testing;

import io.halley.core.Halley;
import io.halley.servlet.CometServlet;
import io.halley.servlet.HalleySessionListener;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The {@link TestServer} on embedded Jetty 12 (ee10), built by {@link TestServer.Builder#start()}. */
final class JettyTestServer extends TestServer {
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    private final int port;
    private volatile boolean stopped;

    JettyTestServer(TestServer.Builder b, CometServlet servlet) throws Exception {
        super(servlet, b.contextPath, b.runtime);
        connector.setHost("127.0.0.1");
        connector.setPort(b.port);
        connector.setReuseAddress(true);
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
