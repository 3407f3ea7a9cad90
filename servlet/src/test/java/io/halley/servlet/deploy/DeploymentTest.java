package io.halley.servlet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.gson.JsonParser;
import io.halley.core.Halley;
import io.halley.servlet.CometServlet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.apache.catalina.Wrapper;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet jar deployed as a real web application on Tomcat: its web-fragment mounts the
 * servlet and the session listener; an annotated subclass named "halley" replaces the fragment's
 * servlet.
 */
class DeploymentTest {
    private Tomcat tomcat;

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void theWebFragmentMountsTheServletAndEndsPagesWithTheirSession() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Context ctx = deploy(webapp(false));
            org.apache.catalina.startup.Tomcat.addServlet(ctx, "login", new jakarta.servlet.http.HttpServlet() {
                @Override
                protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp) {
                    req.getSession(true); // the application's own session
                    resp.setStatus(204);
                }
            });
            ctx.addServletMappingDecoded("/login", "login");
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/app/halley";
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/halley.js")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(base.replace("/halley", "/login"))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/page"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            String id = JsonParser.parseString(page.body()).getAsJsonObject().get("page").getAsString();

            Wrapper w = (Wrapper) ctx.findChild("halley");
            assertEquals(CometServlet.class.getName(), w.getServletClass());
            Halley halley = (Halley) ctx.getServletContext().getAttribute(Halley.class.getName());
            assertEquals(1, halley.pageCount());
            for (Session s : ctx.getManager().findSessions()) s.expire(); // the session ends
            assertEquals(0, halley.pageCount(), "the fragment's listener closed the session's page");
            assertEquals(410, http.send(HttpRequest.newBuilder(URI.create(base + "/page?page=" + id)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        });
    }

    @Test
    void anAnnotatedSubclassNamedHalleyReplacesTheFragmentsServlet() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Context ctx = deploy(webapp(true));
            Wrapper w = (Wrapper) ctx.findChild("halley");
            assertEquals(AnnotatedComet.class.getName(), w.getServletClass());
            Halley halley = (Halley) ctx.getServletContext().getAttribute(Halley.class.getName());
            assertEquals(3, halley.config().maxPagesPerSession(), "the subclass's init-params apply");
            String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/app/halley";
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/halley.js")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        });
    }

    @Test
    void aWebXmlServletNamedHalleyReplacesTheFragmentsMappingAndSettings() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Path docBase = webapp(false);
            Files.writeString(docBase.resolve("WEB-INF/web.xml"), String.join("\n",
                    "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">",
                    "  <servlet>",
                    "    <servlet-name>halley</servlet-name>",
                    "    <servlet-class>io.halley.servlet.CometServlet</servlet-class>",
                    "    <init-param><param-name>maxPagesPerSession</param-name><param-value>2</param-value></init-param>",
                    "    <load-on-startup>1</load-on-startup>",
                    "    <async-supported>true</async-supported>",
                    "  </servlet>",
                    "  <servlet-mapping><servlet-name>halley</servlet-name><url-pattern>/push/*</url-pattern></servlet-mapping>",
                    "</web-app>"));
            Context ctx = deploy(docBase);
            Halley halley = (Halley) ctx.getServletContext().getAttribute(Halley.class.getName());
            assertEquals(2, halley.config().maxPagesPerSession(), "web.xml's init-params apply");
            String root = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/app";
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(root + "/push/halley.js")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "mounted where web.xml says");
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(root + "/halley/halley.js")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "the fragment's mapping is replaced");
            for (int i = 0; i < 2; i++) {
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(root + "/push/page"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            assertEquals(429, http.send(HttpRequest.newBuilder(URI.create(root + "/push/page"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        });
    }

    private Context deploy(Path docBase) throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(docBase.getParent().toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        StandardContext ctx = (StandardContext) tomcat.addWebapp("/app", docBase.toString());
        ctx.setClearReferencesObjectStreamClassCaches(false);
        ctx.setClearReferencesRmiTargets(false);
        ctx.setClearReferencesThreadLocals(false);
        ((StandardJarScanner) ctx.getJarScanner()).setScanClassPath(false); // only WEB-INF/lib, like a WAR
        // the test class path also holds Jetty's WebSocket server (for WebSocketTest): its SCI is no Tomcat's
        ctx.setContainerSciFilter("org\\.eclipse\\.jetty\\..*");
        tomcat.start();
        return ctx;
    }

    /** A web application with the servlet jar in WEB-INF/lib (and the annotated subclass if asked). */
    private static Path webapp(boolean withSubclass) throws IOException {
        Path root = Files.createTempDirectory("halley-webapp");
        Path docBase = root.resolve("webapp");
        Path lib = Files.createDirectories(docBase.resolve("WEB-INF/lib"));
        Path classes = Path.of(CometServlet.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (OutputStream out = Files.newOutputStream(lib.resolve("halley-servlet.jar"));
             JarOutputStream jar = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        }
        if (withSubclass) {
            Path testClasses = Path.of(AnnotatedComet.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            String rel = AnnotatedComet.class.getName().replace('.', '/') + ".class";
            Path target = docBase.resolve("WEB-INF/classes").resolve(rel);
            Files.createDirectories(target.getParent());
            Files.copy(testClasses.resolve(rel), target);
        }
        Files.createDirectories(docBase.resolve("WEB-INF"));
        return docBase;
    }

}
