package io.halley.core.command;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.stream.JsonWriter;
import io.halley.core.Names;
import io.halley.core.comet.Comet;
import io.halley.core.internal.Json;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * One UI action for {@code halley.js} to apply, as immutable data. The catalogue is the one of the
 * wire contract: each record encodes to a JSON object {@code {"op": "<op>", ...fields}}.
 *
 * <p>Commands are normally built through the fluent {@link Commands} API of a {@link Comet} or a
 * callback response; the records are public so that applications and transports can build, store
 * and replay them (for example as a function's reconnect actions). All records are thread-safe
 * values; their constructors fail fast with {@link NullPointerException} or
 * {@link IllegalArgumentException} naming the bad value.
 */
public sealed interface Command {

    /** The wire name of this command, for example {@code "update"}. */
    String op();

    /** Writes this command's fields (after {@code "op"}) to an open JSON object. */
    void writeFields(JsonWriter out) throws IOException;

    /** Replace the inner HTML of every element matching {@code selector}. */
    record Update(String selector, String html) implements Command {
        public Update { need(selector, "selector"); need(html, "html"); }
        public String op() { return "update"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("selector").value(selector).name("html").value(html); }
    }

    /** Insert HTML at the end of every element matching {@code selector}. */
    record Append(String selector, String html) implements Command {
        public Append { need(selector, "selector"); need(html, "html"); }
        public String op() { return "append"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("selector").value(selector).name("html").value(html); }
    }

    /** Insert HTML at the start of every element matching {@code selector}. */
    record Prepend(String selector, String html) implements Command {
        public Prepend { need(selector, "selector"); need(html, "html"); }
        public String op() { return "prepend"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("selector").value(selector).name("html").value(html); }
    }

    /** Replace every element matching {@code selector} (its outer HTML). */
    record Replace(String selector, String html) implements Command {
        public Replace { need(selector, "selector"); need(html, "html"); }
        public String op() { return "replace"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("selector").value(selector).name("html").value(html); }
    }

    /** Remove every element matching {@code selector}. */
    record Remove(String selector) implements Command {
        public Remove { need(selector, "selector"); }
        public String op() { return "remove"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("selector").value(selector); }
    }

    /** Set the text content (never parsed as HTML) of every element matching {@code selector}. */
    record Text(String selector, String text) implements Command {
        public Text { need(selector, "selector"); need(text, "text"); }
        public String op() { return "text"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("selector").value(selector).name("text").value(text); }
    }

    /** Set, append to or prepend to an attribute. The client refuses {@code on*} attributes. */
    record Attr(String selector, String name, String value, AttrMode mode) implements Command {
        public Attr {
            need(selector, "selector"); need(name, "name"); need(value, "value"); need(mode, "mode");
            if (!name.matches("[A-Za-z_:][-A-Za-z0-9_:.]*")) {
                throw new IllegalArgumentException("invalid attribute name: '" + name + "'");
            }
        }
        public String op() { return "attr"; }
        public void writeFields(JsonWriter o) throws IOException {
            o.name("selector").value(selector).name("name").value(name).name("value").value(value)
                    .name("mode").value(mode.wireName());
        }
    }

    /** Set one CSS property on every element matching {@code selector}. */
    record Css(String selector, String property, String value) implements Command {
        public Css { need(selector, "selector"); need(property, "property"); need(value, "value"); }
        public String op() { return "css"; }
        public void writeFields(JsonWriter o) throws IOException {
            o.name("selector").value(selector).name("property").value(property).name("value").value(value);
        }
    }

    /** Set the value of every form field matching {@code selector}. */
    record Value(String selector, String value) implements Command {
        public Value { need(selector, "selector"); need(value, "value"); }
        public String op() { return "value"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("selector").value(selector).name("value").value(value); }
    }

    /** Show a browser alert. */
    record Alert(String message) implements Command {
        public Alert { need(message, "message"); }
        public String op() { return "alert"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("message").value(message); }
    }

    /** Navigate to {@code url} (http, https or relative; the client refuses other schemes). */
    record Redirect(String url) implements Command {
        public Redirect { need(url, "url"); }
        public String op() { return "redirect"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("url").value(url); }
    }

    /** Call a named client function (a dotted path from {@code window}) with JSON arguments. */
    record Call(String function, List<JsonElement> args) implements Command {
        public Call {
            need(function, "function");
            if (!Names.isDottedIdentifier(function)) {
                throw new IllegalArgumentException("invalid function name: '" + function + "'");
            }
            args = List.copyOf(need(args, "args"));
        }
        public String op() { return "call"; }
        public void writeFields(JsonWriter o) throws IOException {
            o.name("function").value(function).name("args").beginArray();
            for (JsonElement a : args) Json.write(o, a);
            o.endArray();
        }
    }

    /** Run JavaScript in the page: the one command that evaluates code. */
    record Script(String js) implements Command {
        public Script { need(js, "js"); }
        public String op() { return "script"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("js").value(js); }
    }

    /** Dispatch a DOM {@code CustomEvent} named {@code name} on the document with {@code detail}. */
    record Event(String name, JsonElement detail) implements Command {
        public Event { need(name, "name"); detail = detail == null ? JsonNull.INSTANCE : detail; }
        public String op() { return "event"; }
        public void writeFields(JsonWriter o) throws IOException {
            o.name("name").value(name).name("detail");
            Json.write(o, detail);
        }
    }

    /** A channel message delivered to a subscribed page. */
    record Message(String channel, long id, JsonElement data) implements Command {
        public Message { need(channel, "channel"); need(data, "data"); }
        public String op() { return "message"; }
        public void writeFields(JsonWriter o) throws IOException {
            o.name("channel").value(channel).name("id").value(id).name("data");
            Json.write(o, data);
        }
    }

    /**
     * The page subscribed to {@code channel} from {@code since}, an id above the channel's newest
     * ({@code last}): the channel's numbering restarted (a restarted node with an in-memory
     * history, a shared history that lost its data), so messages may have been missed. The
     * messages from the new start follow; the client forgets the ids it saw on the channel.
     */
    record ChannelRestart(String channel, long since, long last) implements Command {
        public ChannelRestart { need(channel, "channel"); }
        public String op() { return "channelrestart"; }
        public void writeFields(JsonWriter o) throws IOException {
            o.name("channel").value(channel).name("since").value(since).name("last").value(last);
        }
    }

    /** Show a short notice in the client's notice bar; {@code level} is info, warn or error. */
    record Notice(String text, String level) implements Command {
        public Notice { need(text, "text"); need(level, "level"); }
        public String op() { return "notice"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("text").value(text).name("level").value(level); }
    }

    /** A callback finished: resolves the client's promise for {@code call} with {@code result}. */
    record Done(String call, JsonElement result) implements Command {
        public Done { need(call, "call"); result = result == null ? JsonNull.INSTANCE : result; }
        public String op() { return "done"; }
        public void writeFields(JsonWriter o) throws IOException {
            o.name("call").value(call).name("result");
            Json.write(o, result);
        }
    }

    /** A callback failed: rejects the client's promise for {@code call} with a safe message. */
    record Fail(String call, String error) implements Command {
        public Fail { need(call, "call"); need(error, "error"); }
        public String op() { return "fail"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("call").value(call).name("error").value(error); }
    }

    /** The reply to a server action: {@code error} is null on success. */
    record Reply(String request, JsonElement result, String error) implements Command {
        public Reply { need(request, "request"); result = result == null ? JsonNull.INSTANCE : result; }
        public String op() { return "reply"; }
        public void writeFields(JsonWriter o) throws IOException {
            o.name("request").value(request).name("result");
            Json.write(o, result);
            if (error != null) o.name("error").value(error);
        }
    }

    /** Frames up to and including {@code lostThrough} fell off the replay buffer: reload state. */
    record Resync(long lostThrough) implements Command {
        public String op() { return "resync"; }
        public void writeFields(JsonWriter o) throws IOException { o.name("lost").value(lostThrough); }
    }

    /** Commands the client stores and applies after its page was lost and re-opened. */
    record OnReconnect(List<Command> cmds) implements Command {
        public OnReconnect { cmds = List.copyOf(need(cmds, "cmds")); }
        public String op() { return "onreconnect"; }
        public void writeFields(JsonWriter o) throws IOException {
            o.name("cmds").beginArray();
            for (Command c : cmds) Json.writeCommand(o, c);
            o.endArray();
        }
    }

    private static <T> T need(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }
}
