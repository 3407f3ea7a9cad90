package io.halley.redis.cluster;

import io.halley.servlet.CometServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A static page server of its own origin ({@code http://127.0.0.1:port}), no Halley, no
 * sessions: serves the given HTML pages and {@code /halley.js} (the client as shipped in the
 * halley-servlet jar), like a CDN or a front-end server whose pages use Halley nodes elsewhere.
 */
final class PageServer implements AutoCloseable {
    private final Server server = new Server();

    private PageServer(int port, Map<String, String> pages) throws Exception {
        byte[] js;
        try (InputStream in = CometServlet.class.getResourceAsStream("halley.js")) {
            js = in.readAllBytes();
        }
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        ctx.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
                resp.setHeader("Cache-Control", "no-store");
                if (path.equals("/halley.js")) {
                    resp.setContentType("application/javascript; charset=utf-8");
                    resp.getOutputStream().write(js);
                } else if (pages.containsKey(path)) {
                    resp.setContentType("text/html; charset=utf-8");
                    resp.getOutputStream().write(pages.get(path).getBytes(StandardCharsets.UTF_8));
                } else {
                    resp.sendError(404);
                }
            }
        }), "/*");
        server.setHandler(ctx);
        server.start();
    }

    static PageServer start(int port, Map<String, String> pages) throws Exception {
        return new PageServer(port, pages);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
