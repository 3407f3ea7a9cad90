package io.halley.bench.server;

import io.halley.bench.load.Payload;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.PageListener;
import io.halley.servlet.CometServlet;
import io.halley.servlet.HalleySessionListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * Halley as an application deploys it: embedded Jetty 12 (ee10), sessions on, {@link CometServlet}
 * at {@code /halley/*} with the default settings except {@code maxHeldConnections} (raised so that
 * 15,000 pages fit), and a {@link PageListener} that subscribes every opened page to the bench
 * channel server-side. Publishing is {@code halley.publish(channel, data)}, and a batch (the
 * fan-out scenarios publish 50 at a time) is {@code halley.publishAll(channel, list)}. The page lease is
 * {@link #LEASE} instead of 20 s so that pages of closed clients die before the next scenario
 * (it changes nothing while a transport is attached).
 */
public final class HalleyServer implements BenchServer {
    private final Server server;
    private final Halley halley;
    private final CometServlet servlet;
    private final AtomicLong bn = new AtomicLong();
    public static final Duration LEASE = Duration.ofSeconds(5);

    public HalleyServer(int port) throws Exception {
        server = Jetty.server(port);
        // a short lease, so that the pages of one scenario's closed clients are gone before the next
        halley = Halley.builder().pageLease(LEASE).build();
        halley.addPageListener(new PageListener() {
            @Override
            public void opened(Page page) {
                page.subscribe(Payload.CHANNEL);
            }
        });
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.SESSIONS);
        ctx.setContextPath("/");
        ctx.setAttribute(Halley.class.getName(), halley);
        servlet = new CometServlet();
        ServletHolder holder = new ServletHolder("halley", servlet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        holder.setInitParameter("maxHeldConnections", "40000");
        ctx.addServlet(holder, "/halley/*");
        ctx.addEventListener(new HalleySessionListener());
        server.setHandler(ctx);
        server.start();
    }

    @Override
    public String name() {
        return "halley";
    }

    @Override
    public int port() {
        return Jetty.port(server);
    }

    @Override
    public long publish(int n, int size) {
        long first = bn.get() + 1;
        if (n == 1) {
            halley.publish(Payload.CHANNEL, Payload.tree(bn.incrementAndGet(), System.nanoTime(), size));
            return first;
        }
        // a batch, as the limit encodes its n events into one array: publishAll sends them as one
        // frame per page (the latency scenario publishes single messages)
        java.util.List<Object> batch = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) batch.add(Payload.tree(bn.incrementAndGet(), System.nanoTime(), size));
        halley.publishAll(Payload.CHANNEL, batch);
        return first;
    }

    @Override
    public int connections() {
        return servlet.heldConnections();
    }

    @Override
    public int clientsKept() {
        return halley.pageCount();
    }

    /** The runtime, for tests. */
    Halley halley() {
        return halley;
    }

    @Override
    public void close() {
        Jetty.stop(server, Duration.ofMillis(500));
        halley.close();
    }
}
