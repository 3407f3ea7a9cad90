package io.halley.servlet.internal.stream;

import com.google.gson.JsonObject;
import io.halley.core.transport.Frame;
import io.halley.servlet.internal.Http;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Long-polling: one {@code application/json} answer {@code {"frames":[...]}} with every frame
 * available when it is answered, held until there is one or the poll timeout passed (then an empty
 * list, never 304, which stops some clients' loops). A poll whose page died before it had
 * anything to say gets 410 {@code {"error":"page is gone"}}.
 */
public final class PollFormat implements FrameFormat {
    private static final byte[] OPEN = WireBytes.ascii("{\"frames\":[");
    private final byte[] empty;
    private final byte[] close;

    /** A long-poll held until frames exist or its timeout. */
    public PollFormat() {
        this.empty = WireBytes.ascii("{\"frames\":[]}");
        this.close = WireBytes.ascii("]}");
    }

    /**
     * A poll past the browser's connection budget ({@link BrowserBudget}), answered at once: its
     * answer also carries {@code "advice":{"poll":<ms>}}, poll again in that many milliseconds.
     */
    public PollFormat(long advisedIntervalMillis) {
        String advice = ",\"advice\":{\"poll\":" + advisedIntervalMillis + "}}";
        this.empty = WireBytes.ascii("{\"frames\":[]" + advice);
        this.close = WireBytes.ascii("]" + advice);
    }

    @Override
    public String name() {
        return "poll";
    }

    @Override
    public void prepare(HttpServletResponse response) {
        response.setStatus(200);
        response.setContentType(Http.JSON);
    }

    @Override
    public byte[] open() {
        return new byte[0];
    }

    @Override
    public byte[] frames(List<Frame> frames) {
        int len = OPEN.length + close.length + frames.size() - 1;
        for (Frame f : frames) len += WireBytes.frameLength(f);
        byte[] out = new byte[len];
        int at = WireBytes.put(out, 0, OPEN);
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) out[at++] = ',';
            at = WireBytes.putFrame(out, at, frames.get(i));
        }
        WireBytes.put(out, at, close);
        return out;
    }

    @Override
    public byte[] heartbeat() {
        return null;
    }

    @Override
    public byte[] probe() {
        return null;
    }

    /** None: a poll past the budget is answered at once with its frames ({@link #PollFormat(long)}). */
    @Override
    public byte[] advice(long pollMillis) {
        return null;
    }

    @Override
    public boolean singleShot() {
        return true;
    }

    @Override
    public long budget() {
        return Long.MAX_VALUE;
    }

    @Override
    public byte[] end(HeldStream.End end, boolean answered, HttpServletResponse response) {
        if (answered) return new byte[0];
        if (end == HeldStream.End.DIED && !response.isCommitted()) {
            response.setStatus(410);
            JsonObject o = new JsonObject();
            o.addProperty("error", "page is gone");
            return Http.GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
        }
        return empty;
    }
}
