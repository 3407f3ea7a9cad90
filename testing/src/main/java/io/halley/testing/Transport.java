package io.halley.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The four page transports, each opening a {@link FrameStream} the way halley.js does: SSE, the
 * forever-iframe, long-polling and the WebSocket ({@code /ws}; needs a container with a WebSocket
 * server: the kit's Jetty has one, see {@link TestServer}). Blocking, on the calling thread; every
 * read bounded.
 */
public enum Transport {
    SSE, IFRAME, POLL, WS;

    /** {@code /sse}, {@code /iframe}, {@code /poll} or {@code /ws}. */
    public String path() {
        return "/" + name().toLowerCase();
    }

    public FrameStream open(HttpBrowser b, String page, long since) throws IOException {
        return open(b, page, since, false);
    }

    public FrameStream open(HttpBrowser b, String page, long since, boolean record) throws IOException {
        switch (this) {
            case SSE: return new FrameStream.Sse(b, page, since, Map.of(), record);
            case IFRAME: return new FrameStream.Iframe(b, page, since, record);
            case WS: return new FrameStream.Ws(b, page, since, record);
            default: return new FrameStream.Poll(b, page, since, record);
        }
    }

    /**
     * Receives {@code count} frames of {@code page} from {@code since} as the browser client would:
     * tracks lastSeq (a resync frame always applies), reopens after an iframe rotation or any end,
     * and kills the connection every {@code killEvery} frames (0 for never), resuming from lastSeq.
     */
    public Received receive(HttpBrowser b, String page, long since, int count, int killEvery) throws IOException {
        Received r = new Received();
        long last = since;
        FrameStream w = open(b, page, last);
        int sinceKill = 0;
        try {
            while (r.frames.size() < count) {
                JsonObject f = w.next();
                if (f == null) { // ended: rotation, replaced, or poll status
                    if (w.rotated()) r.rotations++;
                    w.close();
                    r.reopens++;
                    w = open(b, page, last);
                    continue;
                }
                long seq = f.get("seq").getAsLong();
                boolean resync = isResync(f);
                if (resync) r.resyncs++;
                if (seq <= last && !resync) {
                    r.ignored++;
                    continue;
                }
                last = seq;
                r.frames.add(f);
                if (killEvery > 0 && ++sinceKill >= killEvery && r.frames.size() < count) {
                    sinceKill = 0;
                    w.kill();
                    r.kills++;
                    w = open(b, page, last);
                }
            }
        } finally {
            w.close();
        }
        r.lastSeq = last;
        return r;
    }

    /**
     * The answer to this transport's request {@code GET path()?query} as the browser sends it, to
     * read a refusal: for SSE, iframe and poll a plain GET ({@link HttpBrowser#get}); for the
     * WebSocket the upgrade request (over a raw socket, as the JDK client hides a refused
     * upgrade's body) with the browser's cookies and its page's {@code Origin}, as a browser
     * sends it. An upgrade that succeeds (101) is aborted at once. Bounded by 10 s.
     */
    public Answer request(HttpBrowser b, String query) throws IOException, InterruptedException {
        if (this != WS) {
            HttpBrowser.Resp r = b.get(path() + "?" + query);
            return new Answer(r.status(), r.header("Content-Type"), r.body());
        }
        try (RawHttp r = RawHttp.get(b.server().uri(path() + "?" + query), b.cookieHeader(), upgradeHeaders(b), false)) {
            if (r.status() == 101) {
                r.kill();
                return new Answer(101, null, "");
            }
            String body = new String(r.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new Answer(r.status(), r.headers().get("content-type"), body);
        }
    }

    /**
     * This transport's request for {@code page} from {@code since} over a raw socket that a test
     * can reset ({@link RawHttp#kill}) or leave unread: the plain GET of SSE, iframe and poll, the
     * upgrade request of WS (the connection is a held WebSocket once the server answered 101).
     */
    public RawHttp raw(HttpBrowser b, String page, long since) throws IOException {
        return RawHttp.get(FrameStream.uri(b, path(), page, since), b.cookieHeader(),
                this == WS ? upgradeHeaders(b) : Map.of(), false);
    }

    /** A browser's WebSocket upgrade headers: a fresh key, version 13, the page's Origin. */
    private static Map<String, String> upgradeHeaders(HttpBrowser b) {
        byte[] key = new byte[16];
        new java.security.SecureRandom().nextBytes(key);
        Map<String, String> upgrade = new java.util.LinkedHashMap<>();
        upgrade.put("Upgrade", "websocket");
        upgrade.put("Connection", "Upgrade");
        upgrade.put("Sec-WebSocket-Version", "13");
        upgrade.put("Sec-WebSocket-Key", java.util.Base64.getEncoder().encodeToString(key));
        upgrade.put("Origin", b.origin());
        return upgrade;
    }

    /** A whole answer read by {@link #request}: its status, {@code Content-Type} (or null) and body. */
    public record Answer(int status, String contentType, String body) {
        /** Asserts a JSON error answer with {@code expected} status and no trace of a stack trace. */
        public void assertError(int expected) {
            org.junit.jupiter.api.Assertions.assertEquals(expected, status, () -> "status: " + body);
            org.junit.jupiter.api.Assertions.assertTrue(contentType != null && contentType.startsWith("application/json"),
                    String.valueOf(contentType));
            JsonObject o = com.google.gson.JsonParser.parseString(body).getAsJsonObject();
            org.junit.jupiter.api.Assertions.assertTrue(o.has("error") && o.get("error").isJsonPrimitive(), body);
            org.junit.jupiter.api.Assertions.assertFalse(body.contains("Exception") || body.contains("\tat ")
                    || body.contains(".java:"), body);
        }
    }

    /** Whether {@code frame} carries a {@code resync} command. */
    public static boolean isResync(JsonObject frame) {
        for (JsonElement c : frame.getAsJsonArray("cmds")) {
            if ("resync".equals(c.getAsJsonObject().get("op").getAsString())) return true;
        }
        return false;
    }

    /** What {@link #receive} saw. */
    public static final class Received {
        public final List<JsonObject> frames = new ArrayList<>();
        public int kills;
        public int reopens;
        public int rotations;
        public int resyncs;
        public int ignored;
        public long lastSeq;

        public List<Long> seqs() {
            List<Long> out = new ArrayList<>(frames.size());
            for (JsonObject f : frames) out.add(f.get("seq").getAsLong());
            return out;
        }
    }
}
