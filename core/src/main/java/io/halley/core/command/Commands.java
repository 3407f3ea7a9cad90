package io.halley.core.command;

import com.google.gson.JsonElement;
import io.halley.core.PageWriter;
import io.halley.core.comet.Comet;
import io.halley.core.internal.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The fluent command API shared by {@link Comet}, {@link PageWriter} and callback responses. Each
 * method queues one {@link Command}; nothing reaches the browser until the owner flushes.
 *
 * <p>Implementations are not required to be thread-safe unless they say so; a {@link Comet} is
 * used by its own function's thread.
 *
 * @param <T> the implementing type, returned for chaining
 */
public interface Commands<T extends Commands<T>> {

    /** Queues a command. */
    T add(Command command);

    /** Replaces the inner HTML of the elements matching {@code selector}. */
    default T update(String selector, String html) { return add(new Command.Update(selector, html)); }

    /** Inserts HTML at the end of the elements matching {@code selector} (Nitrogen's insert_bottom). */
    default T append(String selector, String html) { return add(new Command.Append(selector, html)); }

    /** Inserts HTML at the start of the elements matching {@code selector} (Nitrogen's insert_top). */
    default T prepend(String selector, String html) { return add(new Command.Prepend(selector, html)); }

    /** Replaces the elements matching {@code selector}. */
    default T replace(String selector, String html) { return add(new Command.Replace(selector, html)); }

    /** Removes the elements matching {@code selector}. */
    default T remove(String selector) { return add(new Command.Remove(selector)); }

    /** Sets the text (not HTML) of the elements matching {@code selector}. */
    default T text(String selector, String text) { return add(new Command.Text(selector, text)); }

    /** Sets an attribute ({@link AttrMode#REPLACE}). */
    default T attr(String selector, String name, String value) { return attr(selector, name, value, AttrMode.REPLACE); }

    /** Sets, appends to or prepends to an attribute. */
    default T attr(String selector, String name, String value, AttrMode mode) {
        return add(new Command.Attr(selector, name, value, mode));
    }

    /** Sets a CSS property. */
    default T css(String selector, String property, String value) { return add(new Command.Css(selector, property, value)); }

    /** Sets the value of form fields. */
    default T value(String selector, String value) { return add(new Command.Value(selector, value)); }

    /** Shows a browser alert. */
    default T alert(String message) { return add(new Command.Alert(message)); }

    /** Navigates the page to {@code url}. */
    default T redirect(String url) { return add(new Command.Redirect(url)); }

    /** Calls a named client function with arguments converted to JSON with Gson. */
    default T call(String function, Object... args) {
        List<JsonElement> json = new ArrayList<>(args.length);
        for (Object a : args) json.add(Json.toTree(a));
        return add(new Command.Call(function, json));
    }

    /** Runs JavaScript in the page. Prefer the other commands: this is the one that evaluates code. */
    default T script(String js) { return add(new Command.Script(js)); }

    /** Dispatches a DOM CustomEvent named {@code name} whose detail is {@code detail} as JSON. */
    default T event(String name, Object detail) { return add(new Command.Event(name, Json.toTree(detail))); }

    /** Shows a short notice in the client's notice bar. */
    default T notice(String text) { return add(new Command.Notice(text, "info")); }
}
