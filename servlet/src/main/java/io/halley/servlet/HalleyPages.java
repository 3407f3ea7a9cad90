package io.halley.servlet;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.Mount;
import io.halley.servlet.internal.SessionIds;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/**
 * Opens pages from server-rendered HTML (a servlet or JSP) and writes the snippet that hands the
 * page to {@code halley.js}:
 *
 * <pre>{@code
 * Page page = HalleyPages.open(request);
 * page.comet(c -> { c.update("#clock", now()); c.flush(); ... });
 * out.println(HalleyPages.bootstrap(request, page));   // in <head> or at the end of <body>
 * }</pre>
 *
 * <p>The page is bound to the request's HTTP session (created if needed) through a random,
 * stable Halley session id (see {@link #sessionId(HttpServletRequest)}). The runtime is the
 * {@link Halley} in the {@link ServletContext} attribute {@code io.halley.core.Halley}, which
 * {@link CometServlet} puts there when it starts (the web-fragment loads it on startup).
 *
 * <p>Static and thread-safe; called on the request's thread.
 */
public final class HalleyPages {

    private HalleyPages() {
    }

    /**
     * Opens a page for the request's session and user (the mounted servlet's
     * {@link UserResolver}) and runs the page-opened listeners. Its lease runs from now: the
     * browser must attach a transport within {@code pageLease}.
     *
     * @throws HalleyException LIMIT past {@code maxPagesPerSession}
     * @throws IllegalStateException when the context holds no started {@link Halley}
     */
    public static Page open(HttpServletRequest request) {
        return halley(request.getServletContext()).open(sessionId(request),
                io.halley.servlet.internal.Identities.of(request));
    }

    /**
     * The Halley session id of the request's session, creating both if needed: the owner id of
     * its pages, for {@link Halley#sendLocal(String, String, Object)} and
     * {@link Halley#pagesOf(String)}. Stable across logins, unlike {@code HttpSession.getId()}.
     */
    public static String sessionId(HttpServletRequest request) {
        return SessionIds.getOrCreate(Objects.requireNonNull(request, "request"));
    }

    /**
     * Ends the pages of the request's session that were opened as another user than the request's
     * now (its {@link UserResolver}): call it right after a login, a logout or a switch of user that
     * keeps the session, so that those pages stop at once (each first gets the event
     * {@value #USER_CHANGED_EVENT}) and {@code halley.js} opens new ones as the new user. Without it
     * they are refused (410) at their next request, which a held stream may not make for a while.
     *
     * @return how many pages ended
     * @throws IllegalStateException when the context holds no started {@link Halley}
     */
    public static int userChanged(HttpServletRequest request) {
        String sessionId = SessionIds.find(request);
        if (sessionId == null) return 0;
        io.halley.core.User now = io.halley.servlet.internal.Identities.of(request);
        int ended = 0;
        for (Page p : halley(request.getServletContext()).pagesOf(sessionId)) {
            if (p.user().sameIdentity(now)) continue;
            try {
                p.writer().event(USER_CHANGED_EVENT, java.util.Map.of("reason", "user changed")).flush();
            } catch (RuntimeException gone) {
                // died meanwhile
            }
            p.close();
            ended++;
        }
        return ended;
    }

    /** The DOM event a page gets as {@link #userChanged} ends it. */
    public static final String USER_CHANGED_EVENT = "halley:userchanged";

    /** The runtime of {@code context}. */
    public static Halley halley(ServletContext context) {
        Object h = context.getAttribute(Halley.class.getName());
        if (h instanceof Halley) return (Halley) h;
        throw new IllegalStateException("no Halley in ServletContext attribute " + Halley.class.getName()
                + ": is CometServlet loaded on startup, or did the application put one there?");
    }

    /**
     * The HTML that hands {@code page} to the client: {@code <script>window.HALLEY_PAGE={page,
     * token, base[, touch]}</script><script src=".../halley.js"></script>} ({@code touch}: how
     * often the client renews the request's session, as {@code POST /page} answers it, when
     * {@code keepSessionAlive} is on and the session times out). The JSON is escaped for a
     * script element ({@code < > & ' =} and U+2028/U+2029 as {@code \\u} escapes), the URL for an
     * attribute; both tags carry the CSP nonce from {@link CometSettings#nonceFor} when one is set.
     */
    public static String bootstrap(HttpServletRequest request, Page page) {
        Objects.requireNonNull(page, "page");
        Mount mount = Mount.of(request.getServletContext());
        String nonce = mount.settings().nonceFor(request);
        JsonObject boot = new JsonObject();
        boot.addProperty("page", page.id());
        boot.addProperty("token", page.token());
        boot.addProperty("base", mount.base());
        long touch = io.halley.servlet.internal.page.PageEndpoint.touchMillis(request, mount.settings().keepSessionAlive());
        if (touch > 0) boot.addProperty("touch", touch); // as POST /page answers it: keep the session alive
        if (!page.user().isAnonymous()) boot.addProperty("user", page.user().name());
        String nonceAttr = nonce == null ? "" : " nonce=\"" + nonce + "\"";
        return "<script" + nonceAttr + ">window.HALLEY_PAGE=" + scriptJson(boot) + ";</script>"
                + "<script" + nonceAttr + " src=\"" + attribute(mount.base() + "/halley.js") + "\"></script>";
    }

    /** JSON safe inside a {@code <script>} element: HTML-significant characters escaped. */
    static String scriptJson(JsonObject o) {
        // Gson's default HTML-safe mode escapes < > & = ' ; add the two JS line terminators
        return Http.GSON.toJson(o).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    static String attribute(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
