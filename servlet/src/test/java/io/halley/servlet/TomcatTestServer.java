package io.halley.servlet;

import io.halley.testing.TestServer;
import io.halley.testing.http2.Http2Mode;
import io.halley.testing.http2.SelfSignedKeystore;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * The kit's {@link TestServer} on embedded Tomcat 10.1 (or 11, in the {@code tomcat-11} run), for the container matrix of the servlet
 * tests: a random loopback port, the servlet at {@code <context>/halley/*}, sessions without
 * persistence and the {@link HalleySessionListener}; the port speaks HTTP/1.1, or an
 * {@link Http2Mode} ({@link #configure}).
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
        this(servlet, contextPath, params, extra, customizer, Http2Mode.HTTP_1_1);
    }

    /** As above, the port speaking {@code mode} ({@link #configure}). */
    TomcatTestServer(CometServlet servlet, String contextPath, Map<String, String> params, Map<String, HttpServlet> extra,
                     java.util.function.Consumer<StandardContext> customizer, Http2Mode mode) throws Exception {
        super(servlet, contextPath, null, mode);
        Path dir = Files.createTempDirectory("halley-tomcat");
        tomcat.setBaseDir(dir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        configure(tomcat.getConnector(), mode);
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

    /**
     * The connector of {@code mode}, as Tomcat's HTTP/2 documentation configures it: for h2c and
     * h2 an {@link Http2Protocol} upgrade protocol (h2c by {@code Upgrade: h2c} or prior knowledge;
     * h2 by ALPN); for h2, TLS on the connector with the {@link SelfSignedKeystore} as the
     * certificate of its default {@link SSLHostConfig} (JSSE, whose ALPN Tomcat uses on Java 9+).
     */
    static void configure(Connector connector, Http2Mode mode) {
        if (mode.http2()) connector.addUpgradeProtocol(new Http2Protocol());
        if (!mode.tls()) return;
        SelfSignedKeystore keys = SelfSignedKeystore.shared();
        connector.setSecure(true);
        connector.setScheme("https");
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig host = new SSLHostConfig();
        SSLHostConfigCertificate cert = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        cert.setCertificateKeystoreFile(keys.path().toString());
        cert.setCertificateKeystorePassword(keys.password());
        cert.setCertificateKeystoreType(keys.type());
        host.addCertificate(cert);
        connector.addSslHostConfig(host);
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
