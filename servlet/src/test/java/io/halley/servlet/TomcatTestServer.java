package io.halley.servlet;

import io.halley.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;

/**
 * The kit's {@link TestServer} on embedded Tomcat 10.1 (or 11, in the {@code tomcat-11} run), for the container matrix of the servlet
 * tests: a random loopback port, the servlet at {@code <context>/halley/*}, sessions without
 * persistence and the {@link HalleySessionListener}.
 */
final class TomcatTestServer extends TestServer {
    private final Tomcat tomcat = new Tomcat();
    private final StandardContext ctx;
    private final int port;
    private volatile boolean stopped;

    TomcatTestServer(CometServlet servlet, String contextPath, Map<String, String> params,
                     Map<String, HttpServlet> extra) throws Exception {
        this(servlet, contextPath, params, extra, c -> { });
    }

    /** As above, with {@code customizer} changing the web application before it starts (a realm, a login config). */
    TomcatTestServer(CometServlet servlet, String contextPath, Map<String, String> params,
                     Map<String, HttpServlet> extra, java.util.function.Consumer<StandardContext> customizer) throws Exception {
        super(servlet, contextPath, null);
        Path dir = Files.createTempDirectory("halley-tomcat");
        tomcat.setBaseDir(dir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        ctx = (StandardContext) tomcat.addContext(contextPath, Files.createDirectories(dir.resolve("docs")).toString());
        try { // these need --add-opens; not what we test. Tomcat 11 no longer has the first two
            ctx.setClearReferencesObjectStreamClassCaches(false);
            ctx.setClearReferencesRmiTargets(false);
        } catch (NoSuchMethodError tomcat11) {
            // nothing to turn off
        }
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
        customizer.accept(ctx);
        // Tomcat's WebSocket server (tomcat-embed-websocket of the same major: 10.1, or 11 in the
        // tomcat-11 run, see servlet/pom.xml): Halley's /ws transport works
        ctx.addServletContainerInitializer(new org.apache.tomcat.websocket.server.WsSci(), null);
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void stop() throws Exception {
        if (tomcat.getServer().getState().isAvailable() || !stopped) {
            stopped = true;
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Override
    public void undeploy() throws Exception {
        stopped = true;
        ctx.stop();
    }

    @Override
    public boolean isStopped() {
        return stopped;
    }
}
