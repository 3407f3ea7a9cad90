package io.halley.core;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.command.AttrMode;
import io.halley.core.command.Command;
import io.halley.core.command.Commands;
import io.halley.core.internal.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTest {

    private static JsonObject encode(Command c) {
        return JsonParser.parseString(Json.encodeCommand(c)).getAsJsonObject();
    }

    @Test
    void everyCommandEncodesItsOpAndFields() {
        assertEquals("{\"op\":\"update\",\"selector\":\"#a\",\"html\":\"x\"}", Json.encodeCommand(new Command.Update("#a", "x")));
        assertEquals("append", encode(new Command.Append("#a", "x")).get("op").getAsString());
        assertEquals("prepend", encode(new Command.Prepend("#a", "x")).get("op").getAsString());
        assertEquals("replace", encode(new Command.Replace("#a", "x")).get("op").getAsString());
        assertEquals("remove", encode(new Command.Remove("#a")).get("op").getAsString());
        assertEquals("t", encode(new Command.Text("#a", "t")).get("text").getAsString());
        JsonObject attr = encode(new Command.Attr("#a", "class", "on", AttrMode.APPEND));
        assertEquals("append", attr.get("mode").getAsString());
        assertEquals("class", attr.get("name").getAsString());
        assertEquals("red", encode(new Command.Css("#a", "color", "red")).get("value").getAsString());
        assertEquals("v", encode(new Command.Value("#f", "v")).get("value").getAsString());
        assertEquals("hi", encode(new Command.Alert("hi")).get("message").getAsString());
        assertEquals("/next", encode(new Command.Redirect("/next")).get("url").getAsString());
        assertEquals("1+1", encode(new Command.Script("1+1")).get("js").getAsString());
        assertEquals(7, encode(new Command.Message("news", 7, JsonParser.parseString("{\"a\":1}"))).get("id").getAsLong());
        assertEquals("warn", encode(new Command.Notice("n", "warn")).get("level").getAsString());
        assertEquals("c1", encode(new Command.Done("c1", null)).get("call").getAsString());
        assertEquals("boom", encode(new Command.Fail("c1", "boom")).get("error").getAsString());
        assertEquals("r1", encode(new Command.Reply("r1", null, null)).get("request").getAsString());
        assertEquals(4, encode(new Command.Resync(4)).get("lost").getAsLong());
        JsonObject onr = encode(new Command.OnReconnect(List.of(new Command.Alert("back"))));
        assertEquals("alert", onr.getAsJsonArray("cmds").get(0).getAsJsonObject().get("op").getAsString());
    }

    @Test
    void fluentApiConvertsArgumentsWithGson() {
        PageWriterProbe w = new PageWriterProbe();
        w.call("app.show", 1, "two", Map.of("k", true)).event("tick", Map.of("n", 3));
        JsonObject call = encode(w.added.get(0));
        assertEquals("app.show", call.get("function").getAsString());
        assertEquals(3, call.getAsJsonArray("args").size());
        assertTrue(call.getAsJsonArray("args").get(2).getAsJsonObject().get("k").getAsBoolean());
        assertEquals(3, encode(w.added.get(1)).getAsJsonObject("detail").get("n").getAsInt());
    }

    @Test
    void encodedJsonCannotBreakOutOfAScriptElement() {
        String evil = "</script><script>alert(1)</script><!-- \u2028\u2029 & 'x'";
        String json = Json.encodeCommands(List.of(new Command.Update("#a", evil)));
        assertFalse(json.contains("<"), json);
        assertFalse(json.contains(">"), json);
        assertFalse(json.contains("&"), json);
        assertFalse(json.contains("\u2028"), json);
        assertFalse(json.contains("\u2029"), json);
        assertFalse(json.contains("\n"), json);
        assertEquals(evil, JsonParser.parseString(json).getAsJsonArray().get(0).getAsJsonObject().get("html").getAsString());
    }

    @Test
    void invalidNamesFailFastWithTheBadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Command.Call("alert(1)", List.of()));
        assertTrue(e.getMessage().contains("alert(1)"));
        assertThrows(IllegalArgumentException.class, () -> new Command.Attr("#a", "on click", "x", AttrMode.REPLACE));
        assertThrows(NullPointerException.class, () -> new Command.Update(null, "x"));
    }

    /** A minimal Commands implementation to observe what the fluent API builds. */
    private static final class PageWriterProbe implements Commands<PageWriterProbe> {
        final List<Command> added = new java.util.ArrayList<>();

        @Override
        public PageWriterProbe add(Command command) {
            added.add(command);
            return this;
        }
    }
}
