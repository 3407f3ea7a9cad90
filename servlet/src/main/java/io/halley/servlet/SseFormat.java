package io.halley.servlet;

import io.halley.core.Frame;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Server-Sent Events: {@code text/event-stream}, an opening comment so clients see the stream at
 * once, each frame as {@code id: <seq>} + {@code data: <frame JSON>}, heartbeats as comment lines.
 * A frame JSON never holds a raw line break; if one did, it is split over several {@code data:}
 * lines (which the client joins with {@code \n}) so no field can be injected.
 */
final class SseFormat implements FrameFormat {
    private static final byte[] OPEN = ": halley\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEARTBEAT = ": hb\n\n".getBytes(StandardCharsets.US_ASCII);

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
        StringBuilder b = new StringBuilder(frames.size() * 96);
        for (Frame f : frames) {
            b.append("id: ").append(f.seq()).append('\n');
            String json = f.toJson();
            if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
                b.append("data: ").append(json).append('\n');
            } else {
                for (String line : json.split("\r\n|\r|\n", -1)) b.append("data: ").append(line).append('\n');
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] heartbeat() {
        return HEARTBEAT;
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
