package io.halley.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frames of one page as one transport delivers them, read and parsed from the wire: SSE
 * fields (the {@code id} field checked against the frame's {@code seq}), iframe script chunks
 * (the JSON argument of {@code parent.Halley.frame}), poll JSON, WebSocket text messages (each a JSON
 * array of frames). Opened by {@link Transport#open}. SSE, iframe and poll are read over a raw
 * HTTP/1.1 socket, or over the browser's JDK client when the server speaks h2c or h2 (each stream
 * one HTTP/2 stream; {@link #kill()} resets that stream only); the WebSocket is the JDK's, over
 * HTTP/1.1 (also on an h2 server's TLS port).
 *
 * <p>Blocking: {@link #next()} reads on the calling thread (each read bounded by a 10 s socket
 * timeout). Read from one thread; {@link #kill()} may come from another. A malformed frame fails
 * with an {@link AssertionError}.
 */
public interface FrameStream extends AutoCloseable {

    /**
     * The next frame; null when the stream ended (completed, rotated, for poll a non-200, for a
     * WebSocket a close, a failure or a refused upgrade).
     */
    JsonObject next() throws IOException;

    /** The HTTP status of the (last) response; 101 for a WebSocket that opened. */
    int status() throws IOException;

    /** Whether the last response ended with a clean chunked end; for a WebSocket, with a close frame from the server. */
    boolean cleanEnd();

    /** Whether an iframe stream ended with a rotate script. */
    default boolean rotated() {
        return false;
    }

    int heartbeats();

    /** Payload bytes received (when recording). */
    byte[] rawBytes();

    /** The protocol of the (last) response: HTTP/2 over an h2c or h2 server, but for the WebSocket. */
    default java.net.http.HttpClient.Version version() {
        return java.net.http.HttpClient.Version.HTTP_1_1;
    }

    /**
     * Cuts the stream: a TCP RST over HTTP/1.1, a RST_STREAM over HTTP/2; a WebSocket is aborted
     * (closed with no close frame).
     */
    void kill();

    @Override
    void close();

    static URI uri(HttpBrowser b, String path, String page, long since) {
        return b.server().uri(path + "?page=" + page + (since < 0 ? "" : "&since=" + since));
    }

    /** A held stream read over one HTTP response. */
    abstract class Held implements FrameStream {
        final HttpStream http;
        int heartbeats;

        Held(HttpStream http) {
            this.http = http;
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return http.version();
        }

        @Override
        public int status() throws IOException {
            return http.status();
        }

        @Override
        public boolean cleanEnd() {
            return http.cleanEnd();
        }

        @Override
        public int heartbeats() {
            return heartbeats;
        }

        @Override
        public byte[] rawBytes() {
            return http.rawBytes();
        }

        @Override
        public void kill() {
            http.kill();
        }

        @Override
        public void close() {
            http.close();
        }
    }

    /** Server-Sent Events. */
    final class Sse extends Held {
        private final BufferedReader reader;

        public Sse(HttpBrowser b, String page, long since, Map<String, String> headers, boolean record) throws IOException {
            super(HttpStream.get(b, uri(b, "/sse", page, since), headers, record));
            reader = new BufferedReader(new InputStreamReader(http.body(), StandardCharsets.UTF_8));
        }

        @Override
        public JsonObject next() throws IOException {
            String id = null;
            StringBuilder data = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data == null) continue;
                    JsonObject f = JsonParser.parseString(data.toString()).getAsJsonObject();
                    assertEquals(id, f.get("seq").getAsString(), "SSE id field equals the frame seq");
                    return f;
                }
                if (line.startsWith(":")) {
                    if (line.equals(": hb")) heartbeats++;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    if (data == null) data = new StringBuilder();
                    else data.append('\n');
                    data.append(line.substring(6));
                } else {
                    throw new AssertionError("unexpected SSE line: " + line);
                }
            }
            return null;
        }

    }

    /** The forever-iframe: script chunks after the padding. */
    final class Iframe extends Held {
        private final Reader reader;
        private final String page;
        private final StringBuilder buf = new StringBuilder();
        private final char[] chunk = new char[8192];
        private int pos;
        private long consumed;
        private boolean rotated;
        private long firstScriptAt = -1;
        private String firstScriptTag;

        public Iframe(HttpBrowser b, String page, long since, boolean record) throws IOException {
            super(HttpStream.get(b, uri(b, "/iframe", page, since), Map.of(), record));
            this.page = page;
            reader = new InputStreamReader(http.body(), StandardCharsets.UTF_8);
        }

        @Override
        public JsonObject next() throws IOException {
            while (true) {
                int s = buf.indexOf("<script", pos);
                int e = s < 0 ? -1 : buf.indexOf("</script>", s);
                if (e < 0) {
                    if (pos > 65536) {
                        buf.delete(0, pos);
                        consumed += pos;
                        pos = 0;
                    }
                    int n = reader.read(chunk);
                    if (n < 0) return null;
                    buf.append(chunk, 0, n);
                    continue;
                }
                int gt = buf.indexOf(">", s);
                if (firstScriptAt < 0) {
                    firstScriptAt = consumed + s;
                    firstScriptTag = buf.substring(s, gt + 1);
                }
                String code = buf.substring(gt + 1, e);
                pos = e + "</script>".length();
                String frameCall = "parent.Halley.frame(";
                String tail = ",\"" + page + "\")";
                if (code.startsWith(frameCall)) {
                    assertTrue(code.endsWith(tail), code);
                    JsonElement json = JsonParser.parseString(code.substring(frameCall.length(), code.length() - tail.length()));
                    return json.getAsJsonObject();
                } else if (code.equals("parent.Halley.heartbeat(\"" + page + "\")")) {
                    heartbeats++;
                } else if (code.equals("parent.Halley.rotate(\"" + page + "\")")) {
                    rotated = true;
                } else {
                    throw new AssertionError("unexpected script: " + code);
                }
            }
        }

        @Override
        public boolean rotated() {
            return rotated;
        }

        /** The offset of the first {@code <script} in the body (after the padding); -1 before one was read. */
        public long firstScriptAt() {
            return firstScriptAt;
        }

        /** The first script's opening tag (e.g. with its nonce); null before one was read. */
        public String firstScriptTag() {
            return firstScriptTag;
        }

    }

    /**
     * The WebSocket ({@code GET /ws} upgraded, the JDK's client): the upgrade carries the browser's
     * cookies and its page's {@code Origin}, as a browser's {@code new WebSocket(url)} does; each
     * text message is a JSON array of frames, read one frame at a time. Pings are the heartbeats.
     * {@link #kill()} and {@link #close()} abort the socket (no close frame). A refused upgrade is
     * no exception: {@link #status()} is its status and {@link #next()} null.
     */
    final class Ws implements FrameStream {
        private final WsConnection ws;

        public Ws(HttpBrowser b, String page, long since, boolean record) throws IOException {
            ws = new WsConnection(b, uri(b, "/ws", page, since), record);
        }

        @Override
        public JsonObject next() throws IOException {
            return ws.take();
        }

        @Override
        public int status() {
            return ws.status();
        }

        /** The server's close code (1000 replaced, 1001 server stopping, 4410 page gone, ...); -1 before a close frame. */
        public int closeCode() {
            return ws.closeCode();
        }

        /** The server's close reason; null before a close frame. */
        public String closeReason() {
            return ws.closeReason();
        }

        @Override
        public boolean cleanEnd() {
            return ws.closeCode() >= 0;
        }

        @Override
        public int heartbeats() {
            return ws.pings();
        }

        @Override
        public byte[] rawBytes() {
            return ws.rawBytes();
        }

        @Override
        public void kill() {
            ws.abort();
        }

        @Override
        public void close() {
            ws.abort();
        }
    }

    /** Long-polling: polls again (from the last frame seen) whenever its frames are used up. */
    final class Poll implements FrameStream {
        private final HttpBrowser browser;
        private final String page;
        private final boolean record;
        private final ArrayDeque<JsonObject> queue = new ArrayDeque<>();
        private long since;
        private int status;
        private boolean cleanEnd;
        private byte[] raw = new byte[0];
        private volatile HttpStream current;
        private java.net.http.HttpClient.Version version = java.net.http.HttpClient.Version.HTTP_1_1;
        private volatile boolean killed;
        private String lastBody;

        public Poll(HttpBrowser b, String page, long since, boolean record) {
            this.browser = b;
            this.page = page;
            this.since = since;
            this.record = record;
        }

        @Override
        public JsonObject next() throws IOException {
            while (queue.isEmpty()) {
                if (killed || (status != 0 && status != 200)) return null;
                poll();
            }
            return queue.poll();
        }

        /** One poll: its status and frames (queued). */
        public void poll() throws IOException {
            try (HttpStream r = HttpStream.get(browser, uri(browser, "/poll", page, since), Map.of(), record)) {
                current = r;
                version = r.version();
                byte[] body = r.body().readAllBytes();
                status = r.status();
                cleanEnd = r.cleanEnd();
                if (record) raw = r.rawBytes();
                lastBody = new String(body, StandardCharsets.UTF_8);
                if (status != 200) return;
                assertTrue(r.headers().get("content-type").startsWith("application/json"), r.headers().toString());
                for (JsonElement f : JsonParser.parseString(lastBody).getAsJsonObject().getAsJsonArray("frames")) {
                    queue.add(f.getAsJsonObject());
                    since = f.getAsJsonObject().get("seq").getAsLong();
                }
            } finally {
                current = null;
            }
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return version;
        }

        /** The body of the last poll. */
        public String lastBody() {
            return lastBody;
        }

        @Override
        public boolean cleanEnd() {
            return cleanEnd;
        }

        @Override
        public int heartbeats() {
            return 0;
        }

        @Override
        public byte[] rawBytes() {
            return raw;
        }

        @Override
        public void kill() {
            killed = true;
            queue.clear();
            HttpStream r = current;
            if (r != null) r.kill();
        }

        @Override
        public void close() {
            kill();
        }
    }
}
