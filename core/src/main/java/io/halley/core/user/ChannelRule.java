package io.halley.core.user;

import io.halley.core.Page;

/**
 * A rule of a {@link io.halley.core.ChannelPolicy} for the channels matching a pattern: whether
 * {@code page} (with its {@link Page#user() user}, roles and {@link Page#get attributes}) may
 * subscribe or publish to {@code match.channel()}. Called on request threads only for a page (a
 * reader without a page, such as a Play-style or nginx-push stream, is refused every channel a
 * pattern rule covers); must be fast and thread-safe.
 */
@FunctionalInterface
public interface ChannelRule {

    boolean allows(Page page, ChannelMatch match);

    /** Allows only the user whose name is the value of placeholder {@code placeholder} ({@code user.{name}}). */
    static ChannelRule userIs(String placeholder) {
        return (page, match) -> !page.user().isAnonymous() && page.user().name().equals(match.get(placeholder));
    }

    /** Allows users who had {@code role} when their page opened. */
    static ChannelRule hasRole(String role) {
        return (page, match) -> page.user().hasRole(role);
    }

    /** Allows any logged-in user. */
    static ChannelRule loggedIn() {
        return (page, match) -> !page.user().isAnonymous();
    }

    /** Allows every page. */
    static ChannelRule anyone() {
        return (page, match) -> true;
    }

    /** Allows what both this rule and {@code other} allow. */
    default ChannelRule and(ChannelRule other) {
        return (page, match) -> allows(page, match) && other.allows(page, match);
    }

    /** Allows what this rule or {@code other} allows. */
    default ChannelRule or(ChannelRule other) {
        return (page, match) -> allows(page, match) || other.allows(page, match);
    }
}
