package io.halley.servlet;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.Mount;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application endpoint acting on one open page, checked as Halley's own endpoints check theirs:
 * {@code POST} a JSON object {@code {"page": id, ...}} with the page token in the
 * {@code X-Halley-Token} header (or, for {@code navigator.sendBeacon}, which cannot set headers,
 * in the body's {@code "token"}). Before {@link #handle} runs:
 *
 * <ol>
 *   <li>the {@code Origin} (else {@code Referer}) is this server's or one of the mounted
 *       {@link CometServlet}'s {@code allowedOrigins} (403);</li>
 *   <li>the body is a JSON object of at most the servlet's {@code maxBodyBytes} (413, 400);</li>
 *   <li>the page is alive (404, 410) and owned by the caller's session (403);</li>
 *   <li>the token is the page's, compared in constant time (403);</li>
 *   <li>the request's user is the one the page opened as (410, and the page ends; see
 *       {@link UserResolver}).</li>
 * </ol>
 *
 * <p>Errors are {@code {"error": "..."}} with the status of the {@link HalleyException.Kind}
 * thrown (by the checks or by {@link #handle}); another exception from {@code handle} is logged
 * and answered 500 {@code "internal error"}, never with its message. The answer on success is
 * the JSON object {@code handle} returns, with 200.
 *
 * <pre>{@code
 * @WebServlet("/chat/say")
 * public class ChatSay extends PagePostServlet {
 *     protected JsonObject handle(Page page, JsonObject body, HttpServletRequest request) {
 *         halley().sendGlobal("chat", required(body, "text"));
 *         return ok();
 *     }
 * }
 * }</pre>
 *
 * <p>Called on the request's thread (a small blocking body read); thread-safe.
 */
public abstract class PagePostServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PagePostServlet.class);
    private static final String TOKEN_HEADER = "X-Halley-Token";

    private final transient Halley given;

    /** An endpoint on the runtime that {@link CometServlet} put in the servlet context. */
    protected PagePostServlet() {
        this.given = null;
    }

    /** An endpoint on {@code halley} (for servlets registered programmatically). */
    protected PagePostServlet(Halley halley) {
        this.given = java.util.Objects.requireNonNull(halley, "halley");
    }

    /**
     * Acts on {@code page}, already checked.
     *
     * @param page    the caller's live page, or null when {@link #pageRequired()} is false
     * @param body    the parsed body
     * @param request the request
     * @return the JSON answer (200)
     * @throws HalleyException for an answer with its kind's status
     */
    protected abstract JsonObject handle(Page page, JsonObject body, HttpServletRequest request);

    /**
     * Whether the body must name a page of the caller's with its token (default true). An endpoint
     * that answers {@code false} still gets the origin and body checks and a null page: for
     * same-origin posts from pages that run no Halley client (a jQuery page, a form).
     */
    protected boolean pageRequired() {
        return true;
    }

    /** The runtime this endpoint acts on. */
    protected final Halley halley() {
        return given != null ? given : HalleyPages.halley(getServletContext());
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonObject answer;
        try {
            Mount mount = Mount.of(req.getServletContext());
            CometSettings settings = mount.settings();
            mount.origins().check(req, true);
            JsonObject body = Http.jsonBody(req, settings.maxBodyBytes());
            Page page = null;
            if (pageRequired()) {
                String token = req.getHeader(TOKEN_HEADER);
                if (token == null) token = string(body, "token");
                page = halley().page(required(body, "page"), HalleyPages.sessionId(req));
                if (!page.checkToken(token)) {
                    throw new HalleyException(HalleyException.Kind.FORBIDDEN, "wrong or missing page token");
                }
                io.halley.servlet.internal.Identities.check(page, req);
            }
            answer = handle(page, body, req);
        } catch (HalleyException e) {
            Http.discardSmallBody(req, Mount.of(req.getServletContext()).settings().maxBodyBytes());
            Http.refuse(resp, e, "POST " + req.getRequestURI());
            return;
        } catch (RuntimeException e) {
            LOG.warn("{} failed", req.getRequestURI(), e);
            Http.error(resp, 500, "internal error");
            return;
        }
        Http.json(resp, 200, answer == null ? ok() : answer);
    }

    /**
     * The string member {@code name} of {@code body}, or null when absent.
     *
     * @throws HalleyException BAD_INPUT when it is there but not a string
     */
    protected static String string(JsonObject body, String name) {
        return Http.string(body, name);
    }

    /**
     * The string member {@code name} of {@code body}.
     *
     * @throws HalleyException BAD_INPUT when it is absent or not a string
     */
    protected static String required(JsonObject body, String name) {
        String s = Http.string(body, name);
        if (s == null) throw badInput("missing '" + name + "'");
        return s;
    }

    /** A BAD_INPUT failure (400) with {@code message}, to throw from {@link #handle}. */
    protected static HalleyException badInput(String message) {
        return new HalleyException(HalleyException.Kind.BAD_INPUT, message);
    }

    /** {@code {"ok": true}}. */
    protected static JsonObject ok() {
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        return o;
    }
}
