/**
 * Users: who a page belongs to, per-user push, the channel rules that know the user, and an
 * application's typed data on a page.
 *
 * <p>The user itself is {@link io.halley.core.User} (a page's identity and the roles captured
 * when it opened, {@link io.halley.core.Page#user()}). Public types here:
 * {@link io.halley.core.user.UserWriter} (push to
 * every tab of a user on every node, {@link io.halley.core.Halley#user(String)}),
 * {@link io.halley.core.user.ChannelRule}, {@link io.halley.core.user.ChannelPattern} and
 * {@link io.halley.core.user.ChannelMatch} (the channel policy's rules for patterns such as
 * {@code user.{name}}), {@link io.halley.core.user.CallerActionHandler} (a server action that sees
 * its caller) and {@link io.halley.core.user.PageAttribute} (typed keys for an application's own
 * data on a page).
 *
 * <p>Where identities come from is the servlet module's business ({@code io.halley.servlet.UserResolver}:
 * the container's principal by default, or an application's session attribute or token).
 */
package io.halley.core.user;
