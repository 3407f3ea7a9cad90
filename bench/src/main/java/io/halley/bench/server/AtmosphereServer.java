package io.halley.bench.server;

import io.halley.bench.load.Payload;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.atmosphere.container.Servlet30CometSupport;
import org.atmosphere.cpr.ApplicationConfig;
import org.atmosphere.cpr.AtmosphereResource;
import org.atmosphere.cpr.AtmosphereResponse;
import org.atmosphere.cpr.AtmosphereServlet;
import org.atmosphere.cpr.Broadcaster;
import org.atmosphere.handler.OnMessage;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * Atmosphere 3 ({@code atmosphere-runtime}, Jakarta) on the same Jetty 12 ee10 as Halley: an
 * {@link AtmosphereServlet} at {@code /atmosphere/*} with its Servlet 3.0 async support (no
 * WebSocket: the ee10 WebSocket container is not on the bench's class path), Atmosphere's
 * default interceptors (SSE framing, padding, heartbeat), and an {@link OnMessage} handler that
 * suspends every GET on one {@link Broadcaster} and writes each broadcast message to it. Clients
 * ask for the SSE transport ({@code X-Atmosphere-Transport=sse}). A publish broadcasts each
 * message (the limit's frame) once; Atmosphere delivers it on its own threads.
 */
public final class AtmosphereServer implements BenchServer {
    static final String BROADCASTER = "bench";

    private final Server server;
    private final Broadcaster broadcaster;
    private final AtomicLong bn = new AtomicLong();

    AtmosphereServer(int port) throws Exception {
        server = Jetty.server(port);
        AtmosphereServlet servlet = new AtmosphereServlet();
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        ctx.setContextPath("/");
        ServletHolder holder = new ServletHolder("atmosphere", servlet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        holder.setInitParameter(ApplicationConfig.PROPERTY_COMET_SUPPORT, Servlet30CometSupport.class.getName());
        holder.setInitParameter(ApplicationConfig.SCAN_CLASSPATH, "false");
        holder.setInitParameter(ApplicationConfig.AUTODETECT_BROADCASTER, "false");
        holder.setInitParameter("org.atmosphere.websocket.suppressJSR356", "true");
        ctx.addServlet(holder, "/atmosphere/*");
        server.setHandler(ctx);
        server.start();
        // after init: before it, the framework has no broadcaster factory to make the handler's broadcaster with
        servlet.framework().addAtmosphereHandler("/*", new OnMessage<String>() {
            @Override
            public void onOpen(AtmosphereResource resource) {
                resource.suspend();
            }

            @Override
            public void onMessage(AtmosphereResponse response, String message) throws IOException {
                response.write(message);
                response.flushBuffer();
            }
        }, BROADCASTER);
        broadcaster = servlet.framework().getBroadcasterFactory().lookup(BROADCASTER, true);
    }

    @Override
    public String name() {
        return "atmosphere";
    }

    @Override
    public int port() {
        return Jetty.port(server);
    }

    @Override
    public long publish(int n, int size, long due) {
        long first = bn.get() + 1;
        for (int i = 0; i < n; i++) {
            long id = bn.incrementAndGet();
            broadcaster.broadcast(Payload.frame(id, id, Payload.json(id, due, size)));
        }
        return first;
    }

    @Override
    public int connections() {
        return broadcaster.getAtmosphereResources().size();
    }

    @Override
    public int clientsKept() {
        return broadcaster.getAtmosphereResources().size();
    }

    @Override
    public void close() {
        Jetty.stop(server, Duration.ofMillis(500));
    }
}
