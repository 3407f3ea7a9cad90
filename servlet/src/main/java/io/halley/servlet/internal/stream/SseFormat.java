package io.halley.servlet.internal.stream;

import io.halley.core.transport.Frame;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Server-Sent Events: {@code text/event-stream}, an opening comment so clients see the stream at
 * once, each frame as {@code id: <seq>} + {@code data: <frame JSON>}, heartbeats as comment lines.
 * A frame's JSON never holds a raw line break ({@link Frame}'s contract: core's encoder escapes
 * them, and commands arriving from another node with one are dropped), so one {@code data:} line
 * carries it and no field can be injected.
 */
public final class SseFormat implements FrameFormat {
    private static final byte[] OPEN = ": halley\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEARTBEAT = ": hb\n\n".getBytes(StandardCharsets.US_ASCII);
    /** A comment line: EventSource ignores it. */
    private static final byte[] PROBE = ":\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = WireBytes.ascii("id: ");
    private static final byte[] DATA = WireBytes.ascii("\ndata: ");
    private static final byte[] END = WireBytes.ascii("\n\n");

    @Override
    public String name() {
        return "sse";
    }

    @Override
    public void prepare(HttpServletResponse response) {
        response.setStatus(200);
        response.setContentType("text/event-stream; charset=utf-8");
    }

    @Override
    public byte[] open() {
        return OPEN;
    }

    @Override
    public byte[] frames(List<Frame> frames) {
        int len = 0;
        int n = frames.size();
        for (int i = 0; i < n; i++) { // indexed: this runs for every delivery, an iterator is garbage
            Frame f = frames.get(i);
            int d = WireBytes.digits(f.seq());
            len += ID.length + d + DATA.length + WireBytes.frameLength(f) + END.length;
        }
        byte[] out = new byte[len];
        int at = 0;
        for (int i = 0; i < n; i++) {
            Frame f = frames.get(i);
            at = WireBytes.put(out, at, ID);
            at = WireBytes.putLong(out, at, f.seq());
            at = WireBytes.put(out, at, DATA);
            at = WireBytes.putFrame(out, at, f);
            at = WireBytes.put(out, at, END);
        }
        return out;
    }

    @Override
    public byte[] heartbeat() {
        return HEARTBEAT;
    }

    @Override
    public byte[] probe() {
        return PROBE;
    }

    /** The opening comment, then {@code event: advice} with {@code {"poll":<ms>}}; the stream then ends. */
    @Override
    public byte[] advice(long pollMillis) {
        return WireBytes.ascii(": halley\n\nevent: advice\ndata: {\"poll\":" + pollMillis + "}\n\n");
    }

    @Override
    public boolean singleShot() {
        return false;
    }

    @Override
    public long budget() {
        return Long.MAX_VALUE;
    }

    @Override
    public byte[] end(HeldStream.End end, boolean answered, HttpServletResponse response) {
        return new byte[0];
    }
}
