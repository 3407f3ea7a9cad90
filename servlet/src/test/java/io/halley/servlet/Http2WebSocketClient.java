package io.halley.servlet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.testing.HttpBrowser;
import io.halley.testing.http2.SelfSignedKeystore;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A WebSocket client that speaks HTTP/2 only (Jetty 12's {@link WebSocketClient} over an
 * {@link HTTP2Client}): it opens its sockets with RFC 8441's extended CONNECT, over TLS (ALPN
 * {@code h2}, trusting the kit's {@link SelfSignedKeystore}) for {@code https} servers, by prior
 * knowledge (h2c) for {@code http} ones. A server that does not announce
 * {@code SETTINGS_ENABLE_CONNECT_PROTOCOL} fails the connect. Blocking calls, each bounded by 10 s.
 */
public final class Http2WebSocketClient implements AutoCloseable {
    private final WebSocketClient client;

    Http2WebSocketClient() throws Exception {
        ClientConnector connector = new ClientConnector();
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(SelfSignedKeystore.shared().trustingContext());
        connector.setSslContextFactory(tls);
        HttpClient http = new HttpClient(new HttpClientTransportDynamic(connector,
                new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector))));
        client = new WebSocketClient(http);
        client.start();
    }

    /** Opens {@code /ws?page=P&since=N} of {@code b}'s server with its cookies and Origin, as a browser does. */
    Socket open(HttpBrowser b, String page, long since) throws Exception {
        return open(b, page, since, b.origin());
    }

    /** As above with another {@code Origin}. */
    Socket open(HttpBrowser b, String page, long since, String origin) throws Exception {
        URI uri = URI.create(b.server().uri("/ws?page=" + page + "&since=" + since).toString().replaceFirst("^http", "ws"));
        ClientUpgradeRequest req = new ClientUpgradeRequest();
        req.setHeader("Origin", origin);
        String cookie = b.cookieHeader();
        if (!cookie.isEmpty()) req.setHeader("Cookie", cookie);
        Socket s = new Socket();
        client.connect(s, uri, req).get(10, TimeUnit.SECONDS);
        return s;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    /** One socket: its text messages queued (frames: arrays; replies: objects). */
    public static final class Socket implements Session.Listener.AutoDemanding {
        private static final Object END = new Object();
        private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final ArrayDeque<JsonObject> frames = new ArrayDeque<>();
        private volatile Session session;
        private volatile int pings;
        private volatile String ending = "open";

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketPing(java.nio.ByteBuffer payload) {
            pings++;
            session.sendPong(payload, Callback.NOOP);
        }

        @Override
        public void onWebSocketText(String text) {
            messages.add(text);
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            ending = "closed " + code + " " + reason;
            messages.add(END);
        }

        @Override
        public void onWebSocketError(Throwable t) {
            ending = "failed: " + t;
            messages.add(END);
        }

        /** The server's pings received so far (its heartbeats). */
        int pings() {
            return pings;
        }

        /** How the socket ended: {@code closed CODE REASON}, {@code failed: ERROR}, or {@code open}. */
        String ending() {
            return ending;
        }

        /** The upgrade's status: 200 for an extended CONNECT over HTTP/2, 101 for an HTTP/1.1 upgrade. */
        int upgradeStatus() {
            return session.getUpgradeResponse().getStatusCode();
        }

        /** The protocol of the upgrade request, e.g. {@code HTTP/2.0}. */
        String httpVersion() {
            return session.getUpgradeRequest().getHttpVersion();
        }

        void send(String text) throws Exception {
            java.util.concurrent.CompletableFuture<Void> sent = new java.util.concurrent.CompletableFuture<>();
            session.sendText(text, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
            sent.get(10, TimeUnit.SECONDS);
        }

        /** The next frame (replies are skipped), or null once the socket ended; 10 s at most. */
        JsonObject nextFrame() throws Exception {
            return nextFrame(java.time.Duration.ofSeconds(10));
        }

        /**
         * The next frame (replies are skipped), or null once the socket ended; {@code within} at
         * most for each message, else an AssertionError naming the pings received meanwhile.
         */
        JsonObject nextFrame(java.time.Duration within) throws Exception {
            while (frames.isEmpty()) {
                int pingsBefore = pings;
                Object m = messages.poll(within.toMillis(), TimeUnit.MILLISECONDS);
                if (m == null) {
                    System.err.println(io.halley.testing.Await.threadDump()); // where the in-process server is stuck, if it is
                    throw new AssertionError("no WebSocket message within " + within.toMillis() + " ms (" + (pings - pingsBefore)
                            + " pings meanwhile, " + pingsBefore + " before)");
                }
                if (m == END) return null;
                JsonElement e = JsonParser.parseString((String) m);
                if (e.isJsonArray()) for (JsonElement f : e.getAsJsonArray()) frames.add(f.getAsJsonObject());
            }
            return frames.poll();
        }

        /** The next reply object (frames are kept for {@link #nextFrame}); 10 s at most. */
        JsonObject nextReply() throws Exception {
            while (true) {
                Object m = messages.poll(10, TimeUnit.SECONDS);
                if (m == null || m == END) throw new AssertionError("no reply within 10 s");
                JsonElement e = JsonParser.parseString((String) m);
                if (e.isJsonObject()) return e.getAsJsonObject();
                for (JsonElement f : e.getAsJsonArray()) frames.add(f.getAsJsonObject());
            }
        }

        /** Drops the stream at once, no close frame: over HTTP/2 a RST_STREAM of this stream. */
        void abort() {
            Session s = session;
            if (s != null) s.disconnect();
        }
    }
}
