package io.halley.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The Halley session id of an HTTP session: 128 random bits kept as a session attribute. It is
 * stable for the session's life, unlike {@link HttpSession#getId()}, which containers change on
 * login (session fixation protection). Thread-safe.
 */
final class SessionIds {
    /** The HttpSession attribute holding the Halley session id (a String). */
    static final String ATTRIBUTE = "io.halley.servlet.sessionId";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object[] LOCKS = new Object[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) LOCKS[i] = new Object();
    }

    private SessionIds() {
    }

    /** The Halley session id of the request's session, creating the session and id if needed. */
    static String getOrCreate(HttpServletRequest req) {
        HttpSession s = req.getSession(true);
        String id = (String) s.getAttribute(ATTRIBUTE);
        if (id != null) return id;
        // two first requests of a new session must agree on one id
        synchronized (LOCKS[Math.floorMod(s.getId().hashCode(), LOCKS.length)]) {
            id = (String) s.getAttribute(ATTRIBUTE);
            if (id == null) {
                byte[] b = new byte[16];
                RANDOM.nextBytes(b);
                id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
                s.setAttribute(ATTRIBUTE, id);
            }
            return id;
        }
    }

    /** The Halley session id of the request's existing session, or null (never creates one). */
    static String find(HttpServletRequest req) {
        HttpSession s = req.getSession(false);
        if (s == null) return null;
        try {
            return (String) s.getAttribute(ATTRIBUTE);
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }
}
