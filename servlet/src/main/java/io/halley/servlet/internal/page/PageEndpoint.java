package io.halley.servlet.internal.page;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.User;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.Identities;
import io.halley.servlet.internal.OriginPolicy;
import io.halley.servlet.internal.SessionIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * {@code POST /page} opens a page for the caller's session ({@link SessionIds}: its HttpSession,
 * else its {@code HALLEY_BROWSER} cookie, issued if needed) and
 * answers {@code {"page","token","listenOnly"[,"user"][,"touch"]}} ({@code user}: the page's user's name, see
 * {@link Identities}) ({@code touch}: see {@link #touch}); an optional body {@code {"listenOnly":true}}
 * makes it a listen-only client ({@link Page#listenOnly}: it may subscribe, never publish).
 * {@code GET /page?page=P} probes one (and, as any request, renews the caller's session): 200
 * {@code {"page":P,"alive":true[,"touch"]}}, 410 dead, 404
 * unknown, 403 another session's, 400 malformed, 410 (and the page closed) when the caller is
 * now another user than the page opened as. Called on the request's thread.
 */
public final class PageEndpoint {
    private final Halley halley;
    private final OriginPolicy origins;
    private final int maxBodyBytes;
    private final boolean createSessions;
    private final boolean keepSessionAlive;

    public PageEndpoint(Halley halley, OriginPolicy origins, int maxBodyBytes, boolean createSessions,
                        boolean keepSessionAlive) {
        this.halley = halley;
        this.origins = origins;
        this.maxBodyBytes = maxBodyBytes;
        this.createSessions = createSessions;
        this.keepSessionAlive = keepSessionAlive;
    }

    /**
     * Adds {@code "touch"}: how often (ms) the client should request {@code GET /page} to keep the
     * request's {@code HttpSession} alive (a third of its timeout, 1 s at least), when
     * {@code keepSessionAlive} is on and the request has a session that times out. A held stream
     * does not renew its session (Tomcat and Jetty renew it when a request starts and ends); this
     * request does, on any container and through any proxy that routes by session.
     */
    private void touch(HttpServletRequest req, JsonObject o) {
        long ms = touchMillis(req, keepSessionAlive);
        if (ms > 0) o.addProperty("touch", ms);
    }

    /**
     * The {@code touch} interval for {@code req}'s session in ms (see {@link #touch}), or 0 when
     * there is nothing to keep alive: {@code keepSessionAlive} off, no session, an invalidated
     * one, or one that never times out. Also handed to server-rendered pages by
     * {@link io.halley.servlet.HalleyPages#bootstrap}. Any thread; never blocks.
     */
    public static long touchMillis(HttpServletRequest req, boolean keepSessionAlive) {
        if (!keepSessionAlive) return 0;
        try {
            HttpSession s = req.getSession(false);
            int seconds = s == null ? 0 : s.getMaxInactiveInterval();
            return seconds > 0 ? Math.max(1000L, seconds * 1000L / 3) : 0;
        } catch (IllegalStateException invalidated) {
            return 0; // no session to keep
        }
    }

    /**
     * Opens a page and runs the page-opened listeners. A foreign {@code Origin}/{@code Referer} is
     * refused; a request with neither is accepted (it can only open a page for its own session).
     * The body, if any, must be a JSON object; its only member read is {@code listenOnly} (a
     * boolean), which is set after the page-opened listeners ran.
     *
     * @throws io.halley.core.HalleyException FORBIDDEN, TOO_LARGE, BAD_INPUT, LIMIT (maxPagesPerSession)
     */
    public void open(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        origins.check(req, false);
        JsonElement listenOnly = Http.jsonBody(req, maxBodyBytes).get("listenOnly");
        if (listenOnly != null && !(listenOnly.isJsonPrimitive() && listenOnly.getAsJsonPrimitive().isBoolean())) {
            throw Http.badInput("'listenOnly' must be true or false");
        }
        User user = Identities.of(req);
        Page page = halley.open(SessionIds.getOrCreate(req, resp, createSessions), user);
        if (listenOnly != null && listenOnly.getAsBoolean()) page.listenOnly(true);
        JsonObject o = new JsonObject();
        o.addProperty("page", page.id());
        o.addProperty("token", page.token());
        o.addProperty("listenOnly", page.isListenOnly());
        if (!user.isAnonymous()) o.addProperty("user", user.name());
        touch(req, o);
        Http.json(resp, HttpServletResponse.SC_OK, o);
    }

    /** Answers whether the page lives; does not renew its lease. */
    public void probe(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Page page = halley.page(Http.required(req, "page"), SessionIds.find(req));
        Identities.check(page, req);
        JsonObject o = new JsonObject();
        o.addProperty("page", page.id());
        o.addProperty("alive", page.isAlive());
        touch(req, o);
        Http.json(resp, HttpServletResponse.SC_OK, o);
    }
}
