/**
 * Comet functions and pools, for application authors: a {@link io.halley.core.comet.CometFunction}
 * runs on its own thread for one page, pushes commands through its
 * {@link io.halley.core.comet.Comet} and talks to the other members of its pool (PAGE, LOCAL or
 * GLOBAL, see {@link io.halley.core.comet.Scope}) with messages, receiving
 * {@link io.halley.core.comet.PoolMessage}s as members come and go.
 *
 * <pre>{@code
 * page.comet(c -> {
 *     while (c.isAlive()) {
 *         Object m = c.receive();                 // blocks this function's thread only
 *         if (m instanceof PoolMessage.Join j) c.notice(j.member() + " joined").flush();
 *         else if (m instanceof String text) c.append("#log", "<p>" + text + "</p>").flush();
 *     }
 * }, CometOptions.builder().pool("room").scope(Scope.GLOBAL).dyingMessage("someone left").build());
 * }</pre>
 *
 * <p>Public types: {@link io.halley.core.comet.Comet}, {@link io.halley.core.comet.CometFunction},
 * {@link io.halley.core.comet.CometHandle}, {@link io.halley.core.comet.CometOptions},
 * {@link io.halley.core.comet.Member}, {@link io.halley.core.comet.PoolMessage} and
 * {@link io.halley.core.comet.Scope}. The implementation (the running task, the pool registry) is
 * in {@code io.halley.core} and {@code io.halley.core.internal}.
 */
package io.halley.core.comet;
