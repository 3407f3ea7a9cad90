/**
 * Play-style script streams: the writer behind {@link io.halley.servlet.ScriptStream}
 * ({@link io.halley.servlet.internal.play.ScriptStreamWriter}, {@link io.halley.servlet.internal.play.ScriptChunks})
 * and {@code GET /comet/<channel>?callback=f}
 * ({@link io.halley.servlet.internal.play.ChannelStreamEndpoint}), a channel's messages as a
 * {@code Flow.Publisher} with catch-up from its history.
 *
 * <p>Not API: public only for the servlet module's own packages; may change in any release.
 */
package io.halley.servlet.internal.play;
