package io.halley.servlet.internal.page;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.OriginPolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Channels from the browser, each a checked page POST ({@link PagePost#read}) judged by the
 * runtime's {@link io.halley.core.ChannelPolicy}:
 *
 * <ul>
 *   <li>{@code POST /subscribe} {@code {"page","channel"[,"since"]}}: 200
 *   {@code {"channel","subscribed":true,"last":N}}, where {@code last} is the newest message id in
 *   the channel's history when the subscription began (0 for none), the point a client resumes
 *   from if it saw nothing newer. With {@code since} (the last id the client saw) the missed
 *   messages still in the history arrive at once as one frame. 403 when the policy refuses, 400
 *   for a bad name or {@code since}, 429 past {@code maxChannelsPerPage}.</li>
 *   <li>{@code POST /unsubscribe} {@code {"page","channel"}}: 200
 *   {@code {"channel","subscribed":false}}, also when there was no subscription.</li>
 *   <li>{@code POST /publish} {@code {"page","channel","data"}}: 202
 *   {@code {"channel","published":true}}; 403 when the policy refuses (always for a listen-only
 *   page), 413 past {@code maxMessageBytes}, 400 without {@code data}.</li>
 * </ul>
 *
 * Called on the request's thread.
 */
public final class ChannelEndpoint {
    private final Halley halley;
    private final OriginPolicy origins;
    private final int maxBodyBytes;

    public ChannelEndpoint(Halley halley, OriginPolicy origins, int maxBodyBytes) {
        this.halley = halley;
        this.origins = origins;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Serves {@code op}: {@code subscribe}, {@code unsubscribe} or {@code publish}. */
    public void serve(String op, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PagePost post = PagePost.read(req, halley, origins, maxBodyBytes);
        PageAnswer a = apply(halley, op, post.page(), post.body());
        Http.json(resp, a.status(), a.body());
    }

    /**
     * Applies {@code op} ({@code subscribe}, {@code unsubscribe}, {@code publish}) for
     * {@code page} (already checked: session, token, user) with the request {@code body}; the one
     * path of the HTTP endpoints and of the same operations on the page's WebSocket.
     *
     * @throws HalleyException as described on the class, after the page checks; BAD_INPUT for an
     *         unknown {@code op}
     */
    public static PageAnswer apply(Halley halley, String op, Page page, JsonObject body) {
        String channel = Http.channel(body);
        JsonObject o = new JsonObject();
        o.addProperty("channel", channel);
        switch (op) {
            case "subscribe":
                long since = since(body);
                if (!halley.channelPolicy().maySubscribe(page, channel)) throw forbidden("subscribe to", channel);
                long last = lastId(halley, channel);
                page.subscribe(channel, since);
                o.addProperty("subscribed", true);
                o.addProperty("last", last);
                return new PageAnswer(HttpServletResponse.SC_OK, o);
            case "unsubscribe":
                page.unsubscribe(channel);
                o.addProperty("subscribed", false);
                return new PageAnswer(HttpServletResponse.SC_OK, o);
            case "publish":
                JsonElement data = body.get("data");
                if (data == null) throw Http.badInput("missing 'data' in body");
                if (page.isListenOnly()) {
                    throw new HalleyException(HalleyException.Kind.FORBIDDEN, "a listen-only page may not publish");
                }
                if (!halley.channelPolicy().mayPublish(page, channel)) throw forbidden("publish to", channel);
                halley.publish(channel, data);
                o.addProperty("published", true);
                return new PageAnswer(HttpServletResponse.SC_ACCEPTED, o);
            default:
                throw Http.badInput("unknown channel operation '" + Http.abbreviate(op) + "'");
        }
    }

    /** {@code since} from the body: a non-negative integer, or -1 when absent. */
    private static long since(JsonObject body) {
        JsonElement e = body.get("since");
        if (e == null || e.isJsonNull()) return -1;
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                long n = e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
                if (n >= 0) return n;
            }
        } catch (ArithmeticException notAnInteger) {
            // falls through
        }
        throw Http.badInput("'since' must be a non-negative integer");
    }

    private static long lastId(Halley halley, String channel) {
        List<ChannelMessage> history = halley.history(channel, 0);
        return history.isEmpty() ? 0 : history.get(history.size() - 1).id();
    }

    private static HalleyException forbidden(String what, String channel) {
        return new HalleyException(HalleyException.Kind.FORBIDDEN, "not allowed to " + what + " channel '" + channel + "'");
    }
}
