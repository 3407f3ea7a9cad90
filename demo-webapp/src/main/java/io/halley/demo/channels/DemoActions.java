package io.halley.demo.channels;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jii's server actions for the channels demo, registered with {@link Halley#action}: the browser
 * asks with {@code conn.request(route, params, {timeout: 5000})} and the reply comes back as a
 * {@code reply} command. Actions go through the runtime's queue, so with Redis any node may run
 * one; each reply names the node that ran it.
 *
 * <ul>
 *   <li>{@value #ECHO} {@code {"text"}} → {@code {"text", "length", "node"}}; BAD_INPUT (the
 *   promise is rejected with the message) without a text or past {@value #MAX_TEXT} characters.</li>
 *   <li>{@value #TIME} → {@code {"time": "2026-01-01T12:00:00.123Z", "local": "12:00:00", "node"}}.</li>
 * </ul>
 */
public final class DemoActions {
    static final String ECHO = "demo.echo";
    static final String TIME = "demo.time";
    static final int MAX_TEXT = 500;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private DemoActions() {
    }

    /** Registers both actions on {@code halley}. */
    public static void register(Halley halley) {
        String node = halley.config().nodeId();
        halley.action(ECHO, params -> {
            String text = text(params);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("text", text);
            r.put("length", text.codePointCount(0, text.length()));
            r.put("node", node);
            return r;
        });
        halley.action(TIME, params -> {
            Instant now = Instant.now();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("time", now.toString());
            r.put("local", LOCAL.format(now));
            r.put("node", node);
            return r;
        });
    }

    private static String text(JsonElement params) {
        JsonElement t = params != null && params.isJsonObject() ? ((JsonObject) params).get("text") : null;
        if (t == null || !t.isJsonPrimitive() || !t.getAsJsonPrimitive().isString()) {
            throw new HalleyException(HalleyException.Kind.BAD_INPUT, "demo.echo needs {\"text\": \"...\"}");
        }
        String s = t.getAsString();
        if (s.length() > MAX_TEXT) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "at most " + MAX_TEXT + " characters");
        return s;
    }
}
