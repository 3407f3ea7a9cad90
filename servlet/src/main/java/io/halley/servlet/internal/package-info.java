/**
 * Implementation of {@link io.halley.servlet.CometServlet}, shared by its features: request
 * routing ({@link io.halley.servlet.internal.Routes}), the origin check (with the trusted proxies
 * whose forwarding headers give the public origin), session binding (the
 * Halley session id and the {@code HALLEY_BROWSER} cookie), init-param parsing, the served client
 * scripts, the published mount and small HTTP helpers; and the one non-blocking writer of every
 * held response ({@link io.halley.servlet.internal.HeldWriter}: a page stream, a
 * {@code /comet/<channel>} stream and a waiting {@code /push/sub} each give it only their steps)
 * with the threads its dispatched writes run on ({@link io.halley.servlet.internal.WriterThreads}).
 * The features themselves are in the
 * sub-packages: {@code stream} (held page transports), {@code page} (page endpoints),
 * {@code play} ({@code /comet/<channel>} script streams) and {@code push} (the nginx HTTP push
 * endpoints).
 *
 * <p>Not API: public only for {@code io.halley.servlet} and the sibling packages; may change in
 * any release.
 */
package io.halley.servlet.internal;
