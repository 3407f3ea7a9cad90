package io.halley.bench.load;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark message: a JSON object {@code {"bn":N,"bt":T,"p":"xxx…"}} of exactly {@code size}
 * bytes, where {@code bn} numbers the messages of one server (1, 2, 3 …, so a receiver sees gaps
 * and duplicates) and {@code bt} is {@link System#nanoTime()} when it was published (clients and
 * servers on one Linux box share {@code CLOCK_MONOTONIC}, so the receiver computes the latency).
 * The padding is plain {@code x}, so no escaping changes the size on any server.
 */
public final class Payload {
    /** The channel every scenario uses ({@code /bench} on CometD). */
    public static final String CHANNEL = "bench";

    private Payload() {
    }

    /** The padding that makes {@code {"bn":bn,"bt":bt,"p":"…"}} {@code size} bytes long (at least one x). */
    static String padding(long bn, long bt, int size) {
        int fixed = "{\"bn\":,\"bt\":,\"p\":\"\"}".length() + Long.toString(bn).length() + Long.toString(bt).length();
        return "x".repeat(Math.max(1, size - fixed));
    }

    /** The message as JSON text. */
    public static String json(long bn, long bt, int size) {
        return "{\"bn\":" + bn + ",\"bt\":" + bt + ",\"p\":\"" + padding(bn, bt, size) + "\"}";
    }

    /** The message as a Gson tree, for {@code halley.publish} (which encodes it in this order). */
    public static JsonObject tree(long bn, long bt, int size) {
        JsonObject o = new JsonObject();
        o.addProperty("bn", bn);
        o.addProperty("bt", bt);
        o.addProperty("p", padding(bn, bt, size));
        return o;
    }

    /** The message as a map, for CometD (which encodes it in this order). */
    public static Map<String, Object> map(long bn, long bt, int size) {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("bn", bn);
        m.put("bt", bt);
        m.put("p", padding(bn, bt, size));
        return m;
    }

    /** Halley's frame of one channel message: {@code {"seq":…,"cmds":[{"op":"message","channel":"bench","id":…,"data":…}]}}. */
    public static String frame(long seq, long messageId, String dataJson) {
        return "{\"seq\":" + seq + ",\"cmds\":[{\"op\":\"message\",\"channel\":\"" + CHANNEL + "\",\"id\":"
                + messageId + ",\"data\":" + dataJson + "}]}";
    }

    /**
     * The SSE event Halley writes for a channel message to a page whose frame sequence is
     * {@code seq}: {@code id: <seq>\ndata: {"seq":…,"cmds":[{"op":"message",…}]}\n\n}. The limit
     * server writes exactly these bytes.
     */
    public static byte[] sseEvent(long seq, long messageId, String dataJson) {
        String frame = frame(seq, messageId, dataJson);
        return ("id: " + seq + "\ndata: " + frame + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
