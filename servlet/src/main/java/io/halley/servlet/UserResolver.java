package io.halley.servlet;

import io.halley.core.User;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Says who a request's user is: the identity a page gets when it opens, and the identity every
 * later request for that page is compared with (a page whose session now belongs to someone else
 * is refused with 410, and {@code halley.js} opens a new one). Set with
 * {@link CometSettings.Builder#userResolver}; the default is {@link #container} with the
 * {@code userRoles} setting.
 *
 * <p>Called on request threads (once per page request: opening, each stream and poll, each POST),
 * so it must be fast and thread-safe; it may read the session and headers, never the body. Return
 * {@link User#anonymous()} for nobody, never null. An exception fails the request with 500 (logged).
 */
@FunctionalInterface
public interface UserResolver {

    User resolve(HttpServletRequest request);

    /**
     * The container's authentication: {@link HttpServletRequest#getUserPrincipal()} (BASIC, FORM,
     * or whatever sets it, such as Spring Security), with those of {@code roles} for which
     * {@link HttpServletRequest#isUserInRole} is true.
     */
    static UserResolver container(Collection<String> roles) {
        List<String> asked = List.copyOf(roles);
        return request -> {
            Principal p = request.getUserPrincipal();
            if (p == null) return User.anonymous();
            Set<String> has = new LinkedHashSet<>();
            for (String r : asked) if (request.isUserInRole(r)) has.add(r);
            return User.of(p, has);
        };
    }

    /**
     * The application's own login: the {@link HttpSession} attribute {@code attribute}, holding a
     * {@link User} (with its roles), a {@link Principal}, or a {@code String} user name (no roles);
     * anonymous when there is no session or no such attribute. The request's session is never created.
     */
    static UserResolver sessionAttribute(String attribute) {
        Objects.requireNonNull(attribute, "attribute");
        return request -> {
            HttpSession s = request.getSession(false);
            Object v;
            try {
                v = s == null ? null : s.getAttribute(attribute);
            } catch (IllegalStateException invalidated) {
                v = null;
            }
            if (v instanceof User u) return u;
            if (v instanceof Principal p) return User.of(p, Set.of());
            if (v instanceof String name && !name.isBlank()) return User.named(name);
            return User.anonymous();
        };
    }
}
