/**
 * The nginx HTTP push protocol that jQuery.comet speaks: {@code GET /push/sub} long-polls
 * answered from a channel's buffer with {@code Last-Modified}/{@code Etag} cursors,
 * {@code POST /push/pub}, channel info and delete
 * ({@link io.halley.servlet.internal.push.PushEndpoint}), with the publisher's access rule
 * ({@link io.halley.servlet.internal.push.PushAccess}).
 *
 * <p>Not API: public only for the servlet module's own packages; may change in any release.
 */
package io.halley.servlet.internal.push;
