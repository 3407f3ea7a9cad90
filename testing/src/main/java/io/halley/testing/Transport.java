package io.halley.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three page transports, each opening a {@link FrameStream} the way halley.js does. Blocking,
 * on the calling thread; every read bounded.
 */
public enum Transport {
    SSE, IFRAME, POLL;

    /** {@code /sse}, {@code /iframe} or {@code /poll}. */
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
