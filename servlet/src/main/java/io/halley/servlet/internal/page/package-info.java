/**
 * The endpoints that act on a page: {@code POST /page} (open, probe), {@code /call/<name>},
 * {@code /action/<route>}, {@code /subscribe}, {@code /unsubscribe} and {@code /publish}. Each
 * is a checked page POST ({@link io.halley.servlet.internal.page.PagePost}): origin, bounded JSON
 * body, the caller's live page, its token. What each does after those checks is one static
 * method ({@code CallEndpoint.start}, {@code ActionEndpoint.queue}, {@code ChannelEndpoint.apply},
 * answering a {@link io.halley.servlet.internal.page.PageAnswer}), which the page's WebSocket
 * ({@code internal.ws.SocketCommands}) calls too, so both paths run the same code.
 *
 * <p>Not API: public only for the servlet module's own packages; may change in any release.
 * Applications write their own page endpoints with {@link io.halley.servlet.PagePostServlet}.
 */
package io.halley.servlet.internal.page;
