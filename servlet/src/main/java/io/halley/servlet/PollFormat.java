package io.halley.servlet;

import com.google.gson.JsonObject;
import io.halley.core.Frame;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Long-polling: one {@code application/json} answer {@code {"frames":[...]}} with every frame
 * available when it is answered, held until there is one or the poll timeout passed (then an empty
 * list, never 304, which stops some clients' loops). A poll whose page died before it had
 * anything to say gets 410 {@code {"error":"page is gone"}}.
 */
final class PollFormat implements FrameFormat {
    private static final byte[] EMPTY = "{\"frames\":[]}".getBytes(StandardCharsets.US_ASCII);

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
        StringBuilder b = new StringBuilder(16 + frames.size() * 96).append("{\"frames\":[");
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) b.append(',');
            b.append(frames.get(i).toJson());
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] heartbeat() {
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
        return EMPTY;
    }
}
