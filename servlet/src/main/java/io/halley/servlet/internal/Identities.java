package io.halley.servlet.internal;

import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.core.User;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity of a request, by the mounted servlet's {@code userResolver} ({@link Mount}), and
 * the check that a page is still its session's user's: a page opened as one identity and requested
 * as another (a login, a logout, another user in the same session) is closed and refused with 410
 * {@code "page was opened as another user"}, on which {@code halley.js} opens a new page as whoever
 * the browser is now. Static; called on request threads.
 */
public final class Identities {
    private static final Logger LOG = LoggerFactory.getLogger(Identities.class);

    private Identities() {
    }

    /**
     * The request's user.
     *
     * @throws HalleyException BAD_INPUT when the resolver produced an invalid user name
     */
    public static User of(HttpServletRequest req) {
        User u;
        try {
            u = Mount.of(req.getServletContext()).settings().userResolver().resolve(req);
        } catch (IllegalArgumentException e) {
            throw new HalleyException(HalleyException.Kind.BAD_INPUT, "invalid user: " + e.getMessage());
        }
        if (u == null) throw new IllegalStateException("the userResolver returned null (return User.anonymous() for nobody)");
        return u;
    }

    /**
     * Refuses {@code page} when the request's user is not the one it opened as, closing the page.
     *
     * @throws HalleyException GONE in that case
     */
    public static void check(Page page, HttpServletRequest req) {
        if (page.user().sameIdentity(of(req))) return;
        LOG.debug("{} was opened as another user than its session's now: closing it", page);
        page.close();
        throw new HalleyException(HalleyException.Kind.GONE, "page was opened as another user");
    }
}
