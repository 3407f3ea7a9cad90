package io.halley.servlet.internal.page;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Names;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.OriginPolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * {@code POST /action/<route>} with {@code {"page","params"[,"request"]}} and the page token:
 * queues the server action (any node consuming the queue may run it) and answers 202
 * {@code {"request": id}}. The reply arrives on the page's stream as a {@code reply} command with
 * that id. A client may choose the id ({@code "request"}: 1–64 of {@code A-Z a-z 0-9 _ . : -}) so
 * that it can match a reply that overtakes the 202; otherwise one is made up. An action that
 * requires a role the page's user lacks is refused with 403 before anything is queued.
 */
public final class ActionEndpoint {
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Halley halley;
    private final OriginPolicy origins;
    private final int maxBodyBytes;

    public ActionEndpoint(Halley halley, OriginPolicy origins, int maxBodyBytes) {
        this.halley = halley;
        this.origins = origins;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Queues the action {@code route}. Called on the request's thread.
     *
     * @throws io.halley.core.HalleyException as {@link PagePost#read}, BAD_INPUT for a bad route or
     *         request id, TOO_LARGE past {@code maxMessageBytes}
     */
    public void serve(String route, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!Names.isChannel(route)) throw Http.badInput("invalid action route");
        PagePost post = PagePost.read(req, halley, origins, maxBodyBytes);
        PageAnswer a = queue(halley, post.page(), route, post.body());
        Http.json(resp, a.status(), a.body());
    }

    /**
     * Queues the action {@code route} for {@code page} (already checked: session, token, user)
     * with the request {@code body} {@code {"params"[,"request"]}}; the one path of
     * {@code POST /action} and of an {@code action} on the page's WebSocket. Answers 202
     * {@code {"request": id}}.
     *
     * @throws io.halley.core.HalleyException BAD_INPUT for a bad route or request id, FORBIDDEN
     *         for a role the page's user lacks
     */
    public static PageAnswer queue(Halley halley, io.halley.core.Page page, String route, JsonObject body) {
        if (!Names.isChannel(route)) throw Http.badInput("invalid action route");
        String requestId = Http.string(body, "request");
        if (requestId == null) {
            requestId = "r" + Long.toUnsignedString(RANDOM.nextLong(), 36);
        } else if (!REQUEST_ID.matcher(requestId).matches()) {
            throw Http.badInput("'request' must be 1-64 of A-Z a-z 0-9 _ . : -");
        }
        JsonElement params = body.get("params");
        halley.request(page, requestId, route, params);
        JsonObject o = new JsonObject();
        o.addProperty("request", requestId);
        return new PageAnswer(HttpServletResponse.SC_ACCEPTED, o);
    }
}
