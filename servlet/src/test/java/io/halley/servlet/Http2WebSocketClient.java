package io.halley.servlet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.testing.HttpBrowser;
import io.halley.testing.http2.SelfSignedKeystore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A WebSocket client that speaks HTTP/2 only: RFC 8441's extended CONNECT on Jetty 12's low-level
 * {@link HTTP2Client} (sessions and streams), with the WebSocket framing (RFC 6455) done here on
 * the stream's DATA. Over TLS (ALPN {@code h2}, trusting the kit's {@link SelfSignedKeystore}) for
 * {@code https} servers, by prior knowledge (h2c) for {@code http} ones. One HTTP/2 connection per
 * client, as a browser keeps one per origin: every {@link #open} is a new stream on it, and
 * {@link Socket#abort} resets only its stream. A server that does not announce
 * {@code SETTINGS_ENABLE_CONNECT_PROTOCOL}, or answers the CONNECT with another status than 200,
 * fails the open with an {@link ExecutionException} naming why. {@link #open} and the socket's reads
 * block, each bounded by 10 s; {@link Socket#send} queues its frame (one DATA write in flight) and returns.
 *
 * <p>Why not Jetty's {@code WebSocketClient} over {@code HTTP2Client}: on a loaded machine it
 * now and then misread a stream's tunnelled bytes (a socket that delivered nothing more while the
 * server's complete text and ping frames were on the wire, recorded by a TCP relay; or a 1002
 * "Unknown opcode" / "Fragmented Control Frame" on bytes the server had framed correctly), so a
 * test built on it measured that client, not Halley. Here the bytes of each DATA frame are parsed
 * as they arrive, in order, on the stream's own listener.
 */
public final class Http2WebSocketClient implements AutoCloseable {
    private final HTTP2Client client;
    private Session session;
    private CompletableFuture<Map<Integer, Integer>> serverSettings;

    Http2WebSocketClient() throws Exception {
        ClientConnector connector = new ClientConnector();
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(SelfSignedKeystore.shared().trustingContext());
        connector.setSslContextFactory(tls);
        client = new HTTP2Client(connector);
        client.setStreamIdleTimeout(0); // liveness is the server's pings, read by the test
        client.start();
    }

    /** Opens {@code /ws?page=P&since=N} of {@code b}'s server with its cookies and Origin, as a browser does. */
    Socket open(HttpBrowser b, String page, long since) throws Exception {
        return open(b, page, since, b.origin());
    }

    /** As above with another {@code Origin}. */
    Socket open(HttpBrowser b, String page, long since, String origin) throws Exception {
        URI uri = b.server().uri("/ws?page=" + page + "&since=" + since);
        Session s = session(uri);
        Map<Integer, Integer> settings = serverSettings.get(10, TimeUnit.SECONDS);
        if (settings.getOrDefault(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 0) != 1) {
            throw new ExecutionException(new IOException("the server does not announce SETTINGS_ENABLE_CONNECT_PROTOCOL: " + settings));
        }
        HttpFields.Mutable fields = HttpFields.build()
                .put("sec-websocket-version", "13")
                .put("origin", origin);
        String cookie = b.cookieHeader();
        if (!cookie.isEmpty()) fields.put("cookie", cookie);
        MetaData.ConnectRequest connect = new MetaData.ConnectRequest("https".equals(uri.getScheme()) ? HttpScheme.HTTPS : HttpScheme.HTTP,
                new HostPortHttpField(uri.getHost() + ":" + uri.getPort()), uri.getRawPath() + "?" + uri.getRawQuery(), fields, "websocket");
        Socket socket = new Socket();
        s.newStream(new HeadersFrame(connect, null, false), socket).get(10, TimeUnit.SECONDS);
        int status = socket.response.get(10, TimeUnit.SECONDS);
        if (status != 200) {
            socket.abort();
            throw new ExecutionException(new IOException("the extended CONNECT was answered " + status));
        }
        return socket;
    }

    /** The client's one HTTP/2 connection to {@code uri}'s server, connected on first use. */
    private synchronized Session session(URI uri) throws Exception {
        if (session != null && !session.isClosed()) return session;
        serverSettings = new CompletableFuture<>();
        CompletableFuture<Map<Integer, Integer>> settings = serverSettings;
        Session.Listener listener = new Session.Listener() {
            @Override
            public void onSettings(Session s, SettingsFrame frame) {
                if (!frame.isReply()) settings.complete(frame.getSettings());
            }
        };
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        session = "https".equals(uri.getScheme())
                ? client.connect(client.getClientConnector().getSslContextFactory(), address, listener).get(10, TimeUnit.SECONDS)
                : client.connect(address, listener).get(10, TimeUnit.SECONDS);
        return session;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    /** One socket, a stream of the client's connection: its text messages queued (frames: arrays; replies: objects). */
    public static final class Socket implements Stream.Listener {
        private static final Object END = new Object();
        final CompletableFuture<Integer> response = new CompletableFuture<>();
        private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final ArrayDeque<JsonObject> frames = new ArrayDeque<>();
        private final ArrayDeque<ByteBuffer> writes = new ArrayDeque<>(); // guarded by itself
        private boolean writing; // guarded by writes
        // read by the stream's listener only
        private byte[] in = new byte[64 * 1024];
        private int inLength;
        private final java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        private volatile Stream stream;
        private volatile int pings;
        private volatile String ending = "open";

        @Override
        public void onHeaders(Stream s, HeadersFrame frame) {
            stream = s;
            int status = ((MetaData.Response) frame.getMetaData()).getStatus();
            response.complete(status);
            if (status == 200) s.demand();
        }

        @Override
        public void onDataAvailable(Stream s) {
            while (true) {
                Stream.Data data = s.readData();
                if (data == null) {
                    s.demand();
                    return;
                }
                boolean last;
                try {
                    ByteBuffer b = data.frame().getByteBuffer();
                    append(b);
                    last = data.frame().isEndStream();
                } finally {
                    data.release();
                }
                if (!parse()) return;
                if (last) {
                    end("closed: the stream ended");
                    return;
                }
            }
        }

        @Override
        public void onReset(Stream s, ResetFrame frame, Callback callback) {
            end("failed: reset " + ErrorCode.toString(frame.getError(), "?"));
            callback.succeeded();
        }

        @Override
        public void onFailure(Stream s, int error, String reason, Throwable failure, Callback callback) {
            end("failed: " + reason + " " + failure);
            response.completeExceptionally(failure);
            callback.succeeded();
        }

        private void append(ByteBuffer b) {
            int n = b.remaining();
            if (inLength + n > in.length) in = java.util.Arrays.copyOf(in, Math.max(in.length * 2, inLength + n));
            b.get(in, inLength, n);
            inLength += n;
        }

        /** Takes every whole WebSocket frame out of {@code in}; false once the socket ended. */
        private boolean parse() {
            int at = 0;
            while (inLength - at >= 2) {
                int b0 = in[at] & 0xff;
                int b1 = in[at + 1] & 0xff;
                if ((b1 & 0x80) != 0 || (b0 & 0x70) != 0) return failed("a masked or reserved-bit frame from the server");
                long length = b1 & 0x7f;
                int header = 2;
                if (length == 126) {
                    if (inLength - at < 4) break;
                    length = ((in[at + 2] & 0xff) << 8) | (in[at + 3] & 0xff);
                    header = 4;
                } else if (length == 127) {
                    if (inLength - at < 10) break;
                    length = ByteBuffer.wrap(in, at + 2, 8).getLong();
                    header = 10;
                }
                if (inLength - at - header < length) break;
                int opcode = b0 & 0x0f;
                boolean fin = (b0 & 0x80) != 0;
                int start = at + header;
                at = start + (int) length;
                if (!frame(opcode, fin, start, (int) length)) return false;
            }
            System.arraycopy(in, at, in, 0, inLength - at);
            inLength -= at;
            return true;
        }

        private boolean frame(int opcode, boolean fin, int start, int length) {
            switch (opcode) {
                case 0x0: // continuation
                case 0x1: // text
                    message.write(in, start, length);
                    if (fin) {
                        messages.add(message.toString(StandardCharsets.UTF_8));
                        message.reset();
                    }
                    return true;
                case 0x8:
                    int code = length >= 2 ? ((in[start] & 0xff) << 8) | (in[start + 1] & 0xff) : 1005;
                    String reason = length > 2 ? new String(in, start + 2, length - 2, StandardCharsets.UTF_8) : "";
                    end("closed " + code + " " + reason);
                    return false;
                case 0x9:
                    pings++;
                    write(0xA, java.util.Arrays.copyOfRange(in, start, start + length));
                    return true;
                case 0xA:
                    return true;
                default:
                    return failed("unknown opcode " + opcode);
            }
        }

        private boolean failed(String why) {
            end("failed: " + why);
            abort();
            return false;
        }

        private void end(String how) {
            if (!"open".equals(ending)) return;
            ending = how;
            messages.add(END);
        }

        /** Writes one masked frame (a client's frames are masked); one DATA write in flight at a time. */
        private void write(int opcode, byte[] payload) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            int header = payload.length < 126 ? 2 : payload.length < 65536 ? 4 : 10;
            ByteBuffer b = ByteBuffer.allocate(header + 4 + payload.length);
            b.put((byte) (0x80 | opcode));
            if (header == 2) b.put((byte) (0x80 | payload.length));
            else if (header == 4) b.put((byte) (0x80 | 126)).putShort((short) payload.length);
            else b.put((byte) (0x80 | 127)).putLong(payload.length);
            b.put(mask);
            for (int i = 0; i < payload.length; i++) b.put((byte) (payload[i] ^ mask[i % 4]));
            b.flip();
            synchronized (writes) {
                writes.add(b);
                if (writing) return;
                writing = true;
            }
            writeNext();
        }

        private void writeNext() {
            ByteBuffer next;
            synchronized (writes) {
                next = writes.poll();
                if (next == null) {
                    writing = false;
                    return;
                }
            }
            stream.data(new DataFrame(stream.getId(), next, false), Callback.from(this::writeNext, t -> end("failed: " + t)));
        }

        /** The server's pings received so far (its heartbeats). */
        int pings() {
            return pings;
        }

        /** How the socket ended: {@code closed CODE REASON}, {@code failed: ERROR}, or {@code open}. */
        String ending() {
            return ending;
        }

        /** The CONNECT's status: 200 for an extended CONNECT over HTTP/2 (an HTTP/1.1 upgrade is 101). */
        int upgradeStatus() {
            return response.getNow(-1);
        }

        /** This socket's stream id on the client's HTTP/2 connection (1, 3, 5 … for the sockets opened on it). */
        int streamId() {
            return stream.getId();
        }

        void send(String text) throws Exception {
            write(0x1, text.getBytes(StandardCharsets.UTF_8));
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

        /** Drops the stream at once, no close frame: a RST_STREAM of this stream; the connection stays. */
        void abort() {
            Stream s = stream;
            if (s != null && !s.isReset()) s.reset(new ResetFrame(s.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
        }
    }
}
