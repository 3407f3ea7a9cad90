package io.halley.servlet.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The Halley session id that owns a browser's pages: 128 random bits, kept either as an
 * {@link HttpSession} attribute or, for a browser without a session, in the {@value #COOKIE}
 * cookie (HttpOnly, SameSite=Lax, Secure over HTTPS), as CometD keeps its {@code BAYEUX_BROWSER}.
 *
 * <ul>
 *   <li>A request with a session uses the session's id, which is stable for the session's life
 *       (unlike {@link HttpSession#getId()}, which containers change on login).</li>
 *   <li>A session that has no id yet adopts the browser cookie's, so pages opened before the
 *       application created a session (a login, say) stay the browser's.</li>
 *   <li>A request without a session uses the cookie; opening a page issues one when there is
 *       none (or creates a session instead when {@code createSessions} is set).</li>
 * </ul>
 * Thread-safe.
 */
public final class SessionIds {
    /** The HttpSession attribute holding the Halley session id (a String). */
    public static final String ATTRIBUTE = "io.halley.servlet.sessionId";
    /** The cookie holding the Halley session id of a browser without an HttpSession. */
    static final String COOKIE = "HALLEY_BROWSER";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object[] LOCKS = new Object[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) LOCKS[i] = new Object();
    }

    private SessionIds() {
    }

    /** The Halley session id of the request's session, creating the session and id if needed. */
    public static String getOrCreate(HttpServletRequest req) {
        return ofSession(req.getSession(true), cookie(req));
    }

    /**
     * The Halley session id for opening a page: the session's when the request has one (or when
     * {@code createSessions}), else the browser cookie's, issued on {@code resp} when absent.
     */
    public static String getOrCreate(HttpServletRequest req, HttpServletResponse resp, boolean createSessions) {
        String cookie = cookie(req);
        HttpSession s = req.getSession(createSessions);
        if (s != null) return ofSession(s, cookie);
        if (cookie != null) return cookie;
        String id = random();
        Cookie c = new Cookie(COOKIE, id);
        String path = req.getContextPath();
        c.setPath(path == null || path.isEmpty() ? "/" : path);
        c.setHttpOnly(true);
        c.setSecure(req.isSecure());
        c.setAttribute("SameSite", "Lax");
        resp.addCookie(c);
        return id;
    }

    /** The Halley session id of the request (its session's, else its cookie's), or null (never creates one). */
    public static String find(HttpServletRequest req) {
        String cookie = cookie(req);
        HttpSession s = req.getSession(false);
        if (s == null) return cookie;
        try {
            String id = (String) s.getAttribute(ATTRIBUTE);
            return id != null || cookie == null ? id : ofSession(s, cookie);
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /** The session's id; a session without one takes {@code adopt} (the cookie's) or a new one. */
    private static String ofSession(HttpSession s, String adopt) {
        String id = (String) s.getAttribute(ATTRIBUTE);
        if (id != null) return id;
        // two first requests of a new session must agree on one id
        synchronized (LOCKS[Math.floorMod(s.getId().hashCode(), LOCKS.length)]) {
            id = (String) s.getAttribute(ATTRIBUTE);
            if (id == null) {
                id = adopt != null ? adopt : random();
                s.setAttribute(ATTRIBUTE, id);
            }
            return id;
        }
    }

    /**
     * The well-formed {@value #COOKIE} cookie of the request, or null. Read from the
     * {@code Cookie} headers directly: {@code getCookies()} would leave a parsed copy of every
     * cookie on the request, which a held stream keeps for hours.
     */
    private static String cookie(HttpServletRequest req) {
        java.util.Enumeration<String> headers = req.getHeaders("Cookie");
        if (headers == null) return null;
        while (headers.hasMoreElements()) {
            String h = headers.nextElement();
            int at = 0;
            while (h != null && (at = h.indexOf(COOKIE, at)) >= 0) {
                int start = at + COOKIE.length();
                boolean named = (at == 0 || h.charAt(at - 1) == ' ' || h.charAt(at - 1) == ';')
                        && start < h.length() && h.charAt(start) == '=';
                if (named) {
                    int end = h.indexOf(';', start + 1);
                    String v = h.substring(start + 1, end < 0 ? h.length() : end).trim();
                    if (wellFormed(v)) return v;
                }
                at = start;
            }
        }
        return null;
    }

    /** 22 characters of URL-safe base64, as {@link #random()} makes them. */
    private static boolean wellFormed(String v) {
        if (v == null || v.length() != 22) return false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) return false;
        }
        return true;
    }

    private static String random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
