/**
 * The WebSocket page transport ({@code GET /ws}, upgraded through the container's
 * {@code jakarta.websocket.server.ServerContainer}): {@link io.halley.servlet.internal.ws.WebSocketEndpoint}
 * checks the request as the other transports do and upgrades it; each socket is a
 * {@link io.halley.servlet.internal.ws.PageSocket}, which sends the page's frames and answers the
 * calls, actions and channel requests the page sends on it through
 * {@link io.halley.servlet.internal.ws.SocketCommands} (the code of the HTTP endpoints in
 * {@code internal.page}, after the page token check). {@link io.halley.servlet.internal.ws.WebSockets}
 * gives the servlet its {@code /ws} route and loads the others only where the container
 * provides the WebSocket API.
 *
 * <p>Not API: public only for the servlet module's own packages; may change in any release.
 */
package io.halley.servlet.internal.ws;
