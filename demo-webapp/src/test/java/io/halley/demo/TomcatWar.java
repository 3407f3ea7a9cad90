package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * {@code target/halley-demo.war} (built by {@code mvn package}; the failsafe run names it in
 * {@code halley.war}) deployed in an embedded Tomcat 10.1 on a random loopback port, as a user
 * deploys it: the container finds {@code DemoApp} by its annotation and {@code CometServlet} by
 * the servlet jar's web-fragment. Closing it stops Tomcat and deletes its base directory.
 */
final class TomcatWar implements AutoCloseable {
    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;
    private final String context;

    /**
     * Deploys the WAR under {@code context} ({@code "/name"}); {@code sessionTimeoutMinutes} as a
     * web.xml {@code <session-timeout>} would set it (0 leaves the container's default).
     */
    TomcatWar(String context, int sessionTimeoutMinutes) throws Exception {
        this.context = context;
        Path war = Paths.get(System.getProperty("halley.war", "target/halley-demo.war"));
        assertTrue(Files.isRegularFile(war), "built by mvn package: " + war);
        baseDir = Files.createTempDirectory("halley-tomcat-");
        Files.createDirectories(baseDir.resolve("webapps"));
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        // the container's defaults without JSP (not on this classpath): static files, welcome file, MIME types
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context ctx = tomcat.addWebapp(context, war.toAbsolutePath().toString());
        Tomcat.addServlet(ctx, "default", "org.apache.catalina.servlets.DefaultServlet").setLoadOnStartup(1);
        ctx.addServletMappingDecoded("/", "default", false);
        ctx.addWelcomeFile("index.html");
        Tomcat.addDefaultMimeTypeMappings(ctx);
        if (sessionTimeoutMinutes > 0) ctx.setSessionTimeout(sessionTimeoutMinutes);
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false); // the WAR's own WEB-INF/lib only, not this test's classpath
        ctx.setJarScanner(scanner);
        // the embedded demo's Jetty WebSocket server is on this test's class path: its SCI is no Tomcat's
        ((org.apache.catalina.core.StandardContext) ctx).setContainerSciFilter("org\\.eclipse\\.jetty\\..*");
        tomcat.start();
        assertTrue(ctx.getState().isAvailable(), "the WAR started: " + ctx.getState());
    }

    /** {@code http://127.0.0.1:port/context/path}. */
    String url(String path) {
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + context + "/" + path;
    }

    @Override
    public void close() throws Exception {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
