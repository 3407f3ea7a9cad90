package io.halley.core.internal;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonIOException;
import com.google.gson.JsonNull;
import com.google.gson.stream.JsonWriter;
import io.halley.core.command.Command;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON encoding shared by the runtime. Output is HTML-safe: {@code < > & = '} and U+2028/U+2029
 * are written as {@code \\u} escapes, so an encoded frame can be placed in a {@code <script>}
 * element or an SSE {@code data:} line as is.
 */
public final class Json {
    public static final Gson GSON = new Gson(); // HTML-safe by default

    private Json() {
    }

    public static JsonElement toTree(Object value) {
        if (value == null) return JsonNull.INSTANCE;
        if (value instanceof JsonElement) return (JsonElement) value;
        try {
            return GSON.toJsonTree(value);
        } catch (JsonIOException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + " as JSON: " + e.getMessage());
        }
    }

    public static void write(JsonWriter out, JsonElement element) {
        GSON.toJson(element, out);
    }

    public static void writeCommand(JsonWriter out, Command c) throws IOException {
        out.beginObject();
        out.name("op").value(c.op());
        c.writeFields(out);
        out.endObject();
    }

    /** Encodes commands as a JSON array, the {@code cmds} of a frame. */
    /** {@code commandsJson} as UTF-8, encoded once for frames that share it. */
    public static byte[] utf8(String commandsJson) {
        return commandsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String encodeCommands(List<? extends Command> commands) {
        StringWriter sw = new StringWriter(64 + 48 * commands.size());
        try (JsonWriter out = writer(sw)) {
            out.beginArray();
            for (Command c : commands) writeCommand(out, c);
            out.endArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** Encodes one command as a JSON object. */
    public static String encodeCommand(Command command) {
        StringWriter sw = new StringWriter(64);
        try (JsonWriter out = writer(sw)) {
            writeCommand(out, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    private static JsonWriter writer(StringWriter sw) {
        JsonWriter out = new JsonWriter(sw);
        out.setHtmlSafe(true);
        out.setSerializeNulls(true);
        return out;
    }
}
