package io.halley.bench.server;

import io.halley.bench.load.Payload;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.LocalSession;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.server.AbstractServerTransport;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.JacksonJSONContextServer;
import org.cometd.server.http.JSONHttpTransport;
import org.cometd.server.http.jakarta.CometDServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * The peer over HTTP: CometD 9's {@link CometDServlet} ({@code cometd-java-server-http-jakarta},
 * Servlet 6.0 API only) at {@code /cometd/*} on the same Jetty 12 ee10 as Halley, with its
 * long-polling transport ({@link JSONHttpTransport}) alone, the Jackson JSON context and
 * {@code maxInterval} {@link #MAX_INTERVAL}. The clients are the suite's
 * own NIO load generator speaking Bayeux over HTTP (handshake, subscribe, then one held
 * {@code /meta/connect} after another), so this peer meets the same client as Halley and the
 * limit. Publishing is {@code ServerChannel.publish} from a {@link LocalSession}.
 */
public final class CometdLongPollingServer implements BenchServer {
    /**
     * How long a session lives without a {@code /meta/connect} (CometD's default is 10 s). The
     * load generator asks again the moment a connect is answered; 8 s lets the sessions of one
     * trial's closed clients expire within the suite's wait between trials, so they do not
     * collect messages during the next one.
     */
    static final Duration MAX_INTERVAL = Duration.ofSeconds(8);

    private final Server server;
    private final BayeuxServerImpl bayeux;
    private final LocalSession publisher;
    private final ServerChannel channel;
    private final AtomicLong bn = new AtomicLong();

    CometdLongPollingServer(int port) throws Exception {
        server = Jetty.server(port);
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        ctx.setContextPath("/");
        CometDServlet servlet = new CometDServlet();
        ServletHolder holder = new ServletHolder("cometd", servlet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        holder.setInitParameter(BayeuxServerImpl.TRANSPORTS_OPTION, JSONHttpTransport.class.getName());
        holder.setInitParameter(AbstractServerTransport.JSON_CONTEXT_OPTION, JacksonJSONContextServer.class.getName());
        holder.setInitParameter(AbstractServerTransport.MAX_INTERVAL_OPTION, Long.toString(MAX_INTERVAL.toMillis()));
        ctx.addServlet(holder, "/cometd/*");
        server.setHandler(ctx);
        server.start();
        bayeux = (BayeuxServerImpl) servlet.getBayeuxServer();
        publisher = bayeux.newLocalSession("bench");
        publisher.handshake();
        // persistent: else the sweeper may drop the channel while it has no subscriber, and this
        // reference would count and publish to a channel the clients never see
        channel = bayeux.createChannelIfAbsent(CometdServer.CHANNEL, c -> c.setPersistent(true)).getReference();
    }

    @Override
    public String name() {
        return "cometd-lp";
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
            channel.publish(publisher.getServerSession(), Payload.map(id, due, size), Promise.noop());
        }
        return first;
    }

    @Override
    public int connections() {
        return channel.getSubscribers().size();
    }

    @Override
    public int clientsKept() {
        return Math.max(0, bayeux.getSessions().size() - 1);
    }

    @Override
    public void close() {
        try {
            publisher.disconnect();
        } catch (RuntimeException e) {
            System.err.println("stopping CometD: " + e);
        }
        Jetty.stop(server, Duration.ofMillis(500));
    }
}
