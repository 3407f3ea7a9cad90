package io.halley.bench.server;

import io.halley.bench.load.Payload;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.PageListener;
import io.halley.servlet.CometServlet;
import io.halley.redis.RedisChannelHistory;
import io.halley.redis.RedisHub;
import io.halley.redis.RedisQueue;
import io.halley.redis.RedisSettings;
import io.halley.servlet.HalleySessionListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;

/**
 * Halley as an application deploys it: embedded Jetty 12 (ee10), sessions on, {@link CometServlet}
 * at {@code /halley/*} with the default settings except {@code maxHeldConnections} (raised so that
 * 15,000 pages fit), and a {@link PageListener} that subscribes every opened page to the bench
 * channel server-side. Publishing is {@code halley.publish(channel, data)}, and a batch (the
 * fan-out scenarios publish 50 at a time) is {@code halley.publishAll(channel, list)}. The page lease is
 * {@link #LEASE} instead of 20 s so that pages of closed clients die before the next scenario
 * (it changes nothing while a transport is attached). The container's WebSocket support is on, so
 * {@code /halley/ws} upgrades as in an ee10 deployment.
 */
public final class HalleyServer implements BenchServer {
    private final Server server;
    private final Halley halley;
    private final CometServlet servlet;
    private final AtomicLong bn = new AtomicLong();
    public static final Duration LEASE = Duration.ofSeconds(5);

    public HalleyServer(int port) throws Exception {
        // a short lease, so that the pages of one scenario's closed clients are gone before the next
        this(port, Halley.builder().pageLease(LEASE));
    }

    /**
     * One node of the 3-node scenario: the same server on the Redis scale-out of {@code halley-redis}
     * as a deployment sets it up ({@code RedisHub}, {@code RedisChannelHistory}, {@code RedisQueue},
     * default {@code RedisSettings} with {@code redisUri}), node id {@code nodeId}.
     */
    public static HalleyServer onRedis(int port, String redisUri, String nodeId) throws Exception {
        RedisSettings s = RedisSettings.builder().uri(redisUri).build();
        return new HalleyServer(port, Halley.builder().pageLease(LEASE).nodeId(nodeId)
                .hub(new RedisHub(s)).history(new RedisChannelHistory(s)).queue(new RedisQueue(s)));
    }

    private HalleyServer(int port, Halley.Builder builder) throws Exception {
        server = Jetty.server(port);
        halley = builder.build(); // the servlet starts it
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
        // the container's WebSocket support, which /halley/ws upgrades through (as an ee10 application gets it)
        JakartaWebSocketServletContainerInitializer.configure(ctx, null);
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
    public long publish(int n, int size, long due) {
        long first = bn.get() + 1;
        if (n == 1) {
            halley.publish(Payload.CHANNEL, Payload.tree(bn.incrementAndGet(), due, size));
            return first;
        }
        // a batch, as the limit encodes its n events into one array: publishAll sends them as one
        // frame per page (the latency scenario publishes single messages)
        java.util.List<Object> batch = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) batch.add(Payload.tree(bn.incrementAndGet(), due, size));
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
