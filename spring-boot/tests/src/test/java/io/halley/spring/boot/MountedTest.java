package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.servlet.CometServlet;
import io.halley.servlet.HalleyPages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;

/** The starter alone mounts the servlet in a Boot application: no web.xml, no fragment scan. */
@SpringBootTest(classes = BootApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // closed after the class: no other test may see its Halley threads
class MountedTest {
    @Autowired
    Environment env;
    @Autowired
    Halley halley;
    @Autowired
    CometServlet servlet;
    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void theServletIsMountedAtHalleyAndServesTheContextsRuntime() throws Exception {
        String port = env.getProperty("local.server.port");
        HttpResponse<String> js = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/halley/halley.js")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, js.statusCode());
        assertTrue(js.body().contains("Halley"), "halley.js served");
        assertSame(halley, servlet.halley(), "the servlet serves the context's runtime");
        assertSame(halley, HalleyPages.halley(servlet.getServletContext()));
        String server = servlet.getServletContext().getServerInfo();
        assertTrue(server.toLowerCase(Locale.ROOT).contains(System.getProperty("halley.test.server", "tomcat")), "runs on " + server);
        System.out.println("Spring Boot " + org.springframework.boot.SpringBootVersion.getVersion() + " on " + server);
        assertTrue(context.getClass().getName().contains("ServletWebServer"), context.getClass().getName());
    }
}
