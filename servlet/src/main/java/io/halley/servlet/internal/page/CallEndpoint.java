package io.halley.servlet.internal.page;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.OriginPolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * {@code POST /call/<name>} with {@code {"page","args":[...][,"call"]}} and the page token: starts
 * the streamed callback {@code name} for the page ({@link Halley#call}) and answers 202
 * {@code {"call": id}}. The callback's flushes and its final {@code done}/{@code fail} command
 * (carrying that id) arrive on the page's stream.
 *
 * <p>The client may choose the id ({@code "call"}: 1–40 of {@code A-Z a-z 0-9 _ -}) so that it
 * can settle a {@code done} that overtakes the 202; otherwise one is made up. Refusals, each
 * before anything runs: 403/413/400/404/410 as {@link PagePost#read}, 400 for {@code args} that
 * is not an array or does not fit the callback's parameters and for a malformed call id, 404 for
 * an unknown callback, 403 for a callback that requires a role the page's user lacks, 429 when
 * no thread is free. Called on the request's thread.
 */
public final class CallEndpoint {
    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private final Halley halley;
    private final OriginPolicy origins;
    private final int maxBodyBytes;

    public CallEndpoint(Halley halley, OriginPolicy origins, int maxBodyBytes) {
        this.halley = halley;
        this.origins = origins;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Starts callback {@code name}.
     *
     * @throws io.halley.core.HalleyException as described on the class
     */
    public void serve(String name, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PagePost post = PagePost.read(req, halley, origins, maxBodyBytes);
        PageAnswer a = start(halley, post.page(), name, post.body());
        Http.json(resp, a.status(), a.body());
    }

    /**
     * Starts callback {@code name} for {@code page} (already checked: session, token, user) with
     * the request {@code body} {@code {"args":[...][,"call"]}}; the one path of {@code POST /call}
     * and of a {@code call} on the page's WebSocket. Answers 202 {@code {"call": id}}.
     *
     * @throws io.halley.core.HalleyException as described on the class, after the page checks
     */
    public static PageAnswer start(Halley halley, io.halley.core.Page page, String name, JsonObject body) {
        JsonElement a = body.get("args");
        JsonArray args;
        if (a == null || a.isJsonNull()) args = new JsonArray();
        else if (a.isJsonArray()) args = a.getAsJsonArray();
        else throw Http.badInput("'args' must be a JSON array");
        String callId = Http.string(body, "call");
        if (callId != null && !CALL_ID.matcher(callId).matches()) {
            throw Http.badInput("'call' must be 1-40 of A-Z a-z 0-9 _ -");
        }
        String id = halley.call(page, name, args, callId);
        JsonObject o = new JsonObject();
        o.addProperty("call", id);
        return new PageAnswer(HttpServletResponse.SC_ACCEPTED, o);
    }
}
