package io.halley.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket of {@link FrameStream.Ws}, over the JDK's {@link WebSocket}: opens the upgrade with
 * the browser's cookies and its page's {@code Origin} (as a browser sends them with
 * {@code new WebSocket(url)}), queues each text message's frames (a JSON array of frames, or one
 * frame object) as they arrive, counts the server's pings, and records how it ended. The listener
 * reads as fast as the server sends (as browsers do), so a slow test never stalls the server's
 * sends. Thread-safe; {@link #take} from one thread.
 */
final class WsConnection implements WebSocket.Listener {
    /** One client for every socket: no cookie handler of its own (the Cookie header is the browser's). */
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** For {@code wss://} to a TLS test server, made on first use: trusts its self-signed certificate (the upgrade is HTTP/1.1 over TLS). */
    private static final class Tls {
        static final HttpClient CLIENT = io.halley.testing.http2.Http2Clients.client(io.halley.testing.http2.Http2Mode.H2);
    }
    private static final long READ_TIMEOUT_SECONDS = 10;
    private static final Object END = new Object();

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final ArrayDeque<JsonObject> frames = new ArrayDeque<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream raw;
    private final WebSocket socket;
    private final int status;
    private final String refusal;
    private volatile int pings;
    private volatile int closeCode = -1;
    private volatile String closeReason;
    private volatile Throwable error;
    private boolean ended; // read side only
    private int messages; // read side only

    WsConnection(HttpBrowser b, URI httpUri, boolean record) throws IOException {
        this.raw = record ? new ByteArrayOutputStream() : null;
        URI uri = URI.create(httpUri.toString().replaceFirst("^http", "ws"));
        HttpClient client = uri.getScheme().equals("wss") ? Tls.CLIENT : CLIENT;
        WebSocket.Builder wb = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .header("Origin", b.origin());
        String cookie = b.cookieHeader(b.server());
        if (!cookie.isEmpty()) wb.header("Cookie", cookie);
        WebSocket ws = null;
        int st = 101;
        String why = null;
        try {
            ws = wb.buildAsync(uri, this).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof WebSocketHandshakeException)) throw new IOException("WebSocket to " + uri, e.getCause());
            WebSocketHandshakeException h = (WebSocketHandshakeException) e.getCause();
            st = h.getResponse().statusCode();
            why = String.valueOf(h.getResponse().body());
            events.add(END);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no WebSocket handshake answer from " + uri + " within " + READ_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        this.socket = ws;
        this.status = st;
        this.refusal = why;
    }

    // ---- the listener (the JDK client's threads)

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            String message = text.toString();
            text.setLength(0);
            if (raw != null) {
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                synchronized (raw) {
                    raw.write(bytes, 0, bytes.length);
                }
            }
            events.add(message);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        events.add(new AssertionError("a binary WebSocket message: Halley sends text only"));
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        pings++; // the JDK client answers with a pong by itself
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeCode = statusCode;
        closeReason = reason;
        events.add(END);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable t) {
        error = t;
        events.add(END);
    }

    // ---- the reader

    /** The next frame, or null once the socket ended (closed, failed, refused); bounded by 10 s. */
    JsonObject take() throws IOException {
        while (frames.isEmpty()) {
            if (ended) return null;
            Object e;
            try {
                e = events.poll(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", x);
            }
            if (e == null) {
                System.err.println(Await.threadDump()); // where the in-process server is stuck, if it is
                throw new SocketTimeoutException("no WebSocket message within " + READ_TIMEOUT_SECONDS + " s (" + messages
                        + " messages and " + pings + " pings before; close code " + closeCode + ", error " + error + ")");
            }
            if (e == END) {
                ended = true;
            } else if (e instanceof AssertionError) {
                throw (AssertionError) e;
            } else {
                messages++;
                JsonElement m = JsonParser.parseString((String) e);
                if (m.isJsonArray()) for (JsonElement f : m.getAsJsonArray()) frames.add(frame(f, (String) e));
                else frames.add(frame(m, (String) e));
            }
        }
        return frames.poll();
    }

    private static JsonObject frame(JsonElement f, String message) {
        if (!f.isJsonObject() || !f.getAsJsonObject().has("seq") || !f.getAsJsonObject().has("cmds")) {
            throw new AssertionError("not a frame in a WebSocket message: " + message);
        }
        return f.getAsJsonObject();
    }

    int status() {
        return status;
    }

    /** The refused handshake's body as the JDK client reports it (often null); null after a 101. */
    String refusal() {
        return refusal;
    }

    int pings() {
        return pings;
    }

    /** The server's close code; -1 before (or without) a close frame. */
    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }

    Throwable error() {
        return error;
    }

    byte[] rawBytes() {
        if (raw == null) return new byte[0];
        synchronized (raw) {
            return raw.toByteArray();
        }
    }

    /** Drops the connection at once: no close frame, as a crashed browser or a dropped network. */
    void abort() {
        if (socket != null) socket.abort();
    }
}
