package io.halley.bench.server;

import io.halley.bench.load.Payload;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.LocalSession;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.server.AbstractServerTransport;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.JacksonJSONContextServer;
import org.cometd.server.websocket.common.AbstractWebSocketTransport;
import org.cometd.server.websocket.jetty.JettyWebSocketTransport;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The peer: CometD 9 on the same Jetty 12.1, set up as CometD's own load test sets it up on Jetty
 * 12 core (a {@link ContextHandler}, a {@link WebSocketUpgradeHandler} and
 * CometD's {@link JettyWebSocketTransport}, permessage-deflate off, the Jackson JSON context,
 * {@code maxInterval} raised so that no session expires under load). CometD's HTTP handler
 * ({@code cometd-java-server-http-jetty}) is not on the Maven mirror this machine reaches, so the
 * server speaks WebSocket only: the Java client's WebSocket transport handshakes over WebSocket
 * as well, so nothing is lost. Server-side publishing is {@code ServerChannel.publish} from a
 * {@link LocalSession}, CometD's documented way to publish from the server.
 */
public final class CometdServer implements BenchServer {
    public static final String CHANNEL = "/" + Payload.CHANNEL;

    private final Server server;
    private final BayeuxServerImpl bayeux;
    private final LocalSession publisher;
    private final ServerChannel channel;
    private final AtomicLong bn = new AtomicLong();

    CometdServer(int port) throws Exception {
        server = Jetty.server(port);
        bayeux = new BayeuxServerImpl();
        bayeux.setOption(AbstractServerTransport.JSON_CONTEXT_OPTION, JacksonJSONContextServer.class.getName());
        bayeux.setOption(AbstractServerTransport.MAX_INTERVAL_OPTION, "60000");
        bayeux.setOption(AbstractWebSocketTransport.COMETD_URL_MAPPING_OPTION, "/cometd/*");
        JettyWebSocketTransport ws = new JettyWebSocketTransport(bayeux);
        ws.setOption(AbstractWebSocketTransport.ENABLE_EXTENSION_PREFIX_OPTION + "permessage-deflate", false);
        bayeux.addTransport(ws);

        ContextHandler context = new ContextHandler("/");
        server.setHandler(context);
        context.getContext().setAttribute(BayeuxServer.ATTRIBUTE, bayeux);
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, context);
        context.setHandler(upgrade);
        upgrade.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404, "WebSocket only");
                return true;
            }
        });
        server.start();
        // what CometD's CometDHandler does on start: give the transports the context, start Bayeux
        bayeux.setOption(Context.class.getName(), context.getContext());
        bayeux.start();

        publisher = bayeux.newLocalSession("bench");
        publisher.handshake();
        // persistent: else the sweeper drops the channel while it has no subscriber (the server now
        // waits beside the others for its first trial), and this reference would count and
        // publish to a channel the clients never see
        channel = bayeux.createChannelIfAbsent(CHANNEL, c -> c.setPersistent(true)).getReference();
    }

    @Override
    public String name() {
        return "cometd";
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
            bayeux.stop();
        } catch (Exception e) {
            System.err.println("stopping CometD: " + e);
        }
        Jetty.stop(server, Duration.ofMillis(500));
    }
}
