package io.halley.servlet.internal.ws;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.page.ActionEndpoint;
import io.halley.servlet.internal.page.CallEndpoint;
import io.halley.servlet.internal.page.ChannelEndpoint;
import io.halley.servlet.internal.page.PageAnswer;
import io.halley.servlet.internal.page.PagePost;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests a page sends on its WebSocket: calls, actions, publishes, subscribes and
 * unsubscribes, each one text message
 * {@code {"id":"q1","op":"call|action|publish|subscribe|unsubscribe"[,"name"],"token":T,"body":{...}}}
 * where {@code name} is the callback's name or the action's route and {@code body} is what the
 * HTTP endpoint's body holds (without {@code page}: the socket's page). Each is answered by one
 * text message {@code {"reply":"q1","status":202,"body":{...}}}, or for a refusal
 * {@code {"reply":"q1","status":403,"error":"..."}}, the status and the reason being those of
 * the HTTP endpoint ({@code POST /call/<name>}, {@code /action/<route>}, {@code /publish},
 * {@code /subscribe}, {@code /unsubscribe}). A socket's frames are JSON arrays, its replies
 * objects, so the client tells them apart.
 *
 * <p>The checks are the HTTP endpoints': the origin and the session binding were checked once,
 * at the upgrade (a socket belongs to one page of one session, opened from an allowed origin;
 * the page's user was checked there too, and a page whose session ends or whose user logs out
 * is ended, which closes its socket); the page token is checked on every request
 * ({@link PagePost#checkToken}); then the one code path of each operation runs
 * ({@link CallEndpoint#start}, {@link ActionEndpoint#queue}, {@link ChannelEndpoint#apply}: the
 * roles, the channel policy, the limits). A request larger than {@code maxBodyBytes} (plus
 * {@link #ENVELOPE} characters for the envelope) is refused with 413 unread, with
 * {@code "reply": null} since its id is not read; a message that is not such a JSON object, or
 * has no well-formed {@code id} (1–64 of {@code A-Z a-z 0-9 _ . : -}), gets 400 with
 * {@code "reply"} null or its id. Thread-safe and stateless; called on the container's thread
 * that received the message.
 */
public final class SocketCommands {
    private static final Logger LOG = LoggerFactory.getLogger(SocketCommands.class);
    /** The characters a request's envelope ({@code id}, {@code op}, {@code name}, {@code token}) may add to its body. */
    public static final int ENVELOPE = 1024;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final Halley halley;
    private final Page page;
    private final int maxBodyBytes;

    public SocketCommands(Halley halley, Page page, int maxBodyBytes) {
        this.halley = halley;
        this.page = page;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The largest text message the socket should accept whole: twice the limit, so that one past it gets its 413. */
    int bufferSize() {
        return 2 * (maxBodyBytes + ENVELOPE);
    }

    /** The reply (JSON text) to one request message {@code text}. Never throws. */
    public String answer(String text) {
        String id = null;
        try {
            if (text.length() > maxBodyBytes + ENVELOPE) {
                throw new HalleyException(HalleyException.Kind.TOO_LARGE,
                        "request exceeds " + maxBodyBytes + " bytes (maxBodyBytes)");
            }
            JsonObject m = parse(text);
            JsonElement i = m.get("id");
            if (i == null || !i.isJsonPrimitive() || !ID.matcher(i.getAsString()).matches()) {
                throw Http.badInput("'id' must be 1-64 of A-Z a-z 0-9 _ . : -");
            }
            id = i.getAsString();
            JsonElement b = m.get("body");
            if (b != null && !b.isJsonNull() && !b.isJsonObject()) throw Http.badInput("'body' must be a JSON object");
            JsonObject body = b == null || b.isJsonNull() ? new JsonObject() : b.getAsJsonObject();
            String op = Http.string(m, "op");
            if (op == null) throw Http.badInput("missing 'op'");
            PagePost.checkToken(page, Http.string(m, "token"), "'token'");
            return reply(id, run(op, Http.string(m, "name"), body));
        } catch (HalleyException e) {
            int status = e.kind().status();
            if (status >= 500) LOG.debug("a WebSocket request of {} answered {}: {}", page, status, e.getMessage());
            return refusal(id, status, status < 500 ? e.getMessage() : Http.UNAVAILABLE_REASON);
        } catch (RuntimeException e) {
            LOG.warn("unexpected failure serving a WebSocket request of {}", page, e);
            return refusal(id, 500, "internal error");
        }
    }

    private PageAnswer run(String op, String name, JsonObject body) {
        switch (op) {
            case "call":
                if (name == null) throw Http.badInput("missing 'name' (the callback)");
                return CallEndpoint.start(halley, page, name, body);
            case "action":
                if (name == null) throw Http.badInput("missing 'name' (the action's route)");
                return ActionEndpoint.queue(halley, page, name, body);
            case "publish":
            case "subscribe":
            case "unsubscribe":
                return ChannelEndpoint.apply(halley, op, page, body);
            default:
                throw Http.badInput("unknown 'op' '" + Http.abbreviate(op) + "'");
        }
    }

    private static JsonObject parse(String text) {
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw Http.badInput("a request must be a JSON object");
            return e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw Http.badInput("a request is not valid JSON");
        }
    }

    private static String reply(String id, PageAnswer a) {
        JsonObject o = new JsonObject();
        o.addProperty("reply", id);
        o.addProperty("status", a.status());
        o.add("body", a.body());
        return o.toString(); // keeps "reply": null (Gson's toJson would drop it)
    }

    private static String refusal(String id, int status, String error) {
        JsonObject o = new JsonObject();
        o.addProperty("reply", id);
        o.addProperty("status", status);
        o.addProperty("error", error);
        return o.toString(); // keeps "reply": null (Gson's toJson would drop it)
    }
}
