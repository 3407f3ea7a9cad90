package io.halley.core;

import java.security.Principal;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a page belongs to: a name (the container's {@link Principal#getName()} or an application's
 * own user key), the principal when there is one, and the roles the application asked about,
 * captured when the page opened. Never null on a page: {@link #anonymous()} when nobody is logged
 * in. Immutable and thread-safe.
 *
 * <p>Two users are the same identity when their names are equal ({@link #sameIdentity}); roles
 * and principal objects do not take part, so a page stays valid while its user's roles change
 * (they are re-read only when a page opens).
 */
public final class User {
    private static final User ANONYMOUS = new User(null, null, Set.of());
    /** The longest name accepted (names travel in hub messages and channel names). */
    public static final int MAX_NAME_LENGTH = 256;

    private final String name;
    private final Principal principal;
    private final Set<String> roles;

    private User(String name, Principal principal, Set<String> roles) {
        this.name = name;
        this.principal = principal;
        this.roles = roles;
    }

    /** The user of a page nobody logged in to. */
    public static User anonymous() {
        return ANONYMOUS;
    }

    /**
     * A user known by the application's own key {@code name}, with {@code roles}.
     *
     * @throws IllegalArgumentException for a blank name, one longer than {@value #MAX_NAME_LENGTH}
     *         characters, or one holding control characters
     */
    public static User named(String name, Collection<String> roles) {
        return new User(requireName(name), null, Set.copyOf(Objects.requireNonNull(roles, "roles")));
    }

    /** {@link #named(String, Collection)} with no roles. */
    public static User named(String name) {
        return named(name, Set.of());
    }

    /**
     * The user of a container's principal (its {@link Principal#getName()} is the name).
     *
     * @throws IllegalArgumentException when the principal's name is not a valid name (see {@link #named})
     */
    public static User of(Principal principal, Collection<String> roles) {
        Objects.requireNonNull(principal, "principal");
        return new User(requireName(principal.getName()), principal, Set.copyOf(Objects.requireNonNull(roles, "roles")));
    }

    /** The name; null for the anonymous user. */
    public String name() {
        return name;
    }

    /** Whether nobody is logged in. */
    public boolean isAnonymous() {
        return name == null;
    }

    /** The container's principal, when the user came from one. */
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    /** Whether the user had {@code role} when the page opened (false for the anonymous user). */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** The roles captured (among those the application asked about). */
    public Set<String> roles() {
        return roles;
    }

    /** Whether {@code other} is the same identity: the same name, or both anonymous. */
    public boolean sameIdentity(User other) {
        return other != null && Objects.equals(name, other.name);
    }

    /** Equal when name and roles are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof User u && Objects.equals(name, u.name) && roles.equals(u.roles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, roles);
    }

    @Override
    public String toString() {
        return name == null ? "User[anonymous]" : "User[" + name + ", roles=" + roles + "]";
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a user name must not be blank");
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a user name is at most " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException("a user name must not hold control characters");
            }
        }
        return name;
    }
}
