package io.halley.servlet.internal.ws;

import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.servlet.CometSettings;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.OriginPolicy;
import io.halley.servlet.internal.SessionIds;
import io.halley.servlet.internal.stream.Connections;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /ws?page=P&since=N} (or, over HTTP/2, RFC 8441's extended {@code CONNECT}): the
 * WebSocket transport. Checks the request as the other
 * transports are checked, before anything is upgraded, so that a refusal is a plain JSON answer:
 * an opening handshake ({@link #isOpeningHandshake}, else 400), an {@code Origin} of this server or of
 * {@code allowedOrigins} (403: browsers send one with every WebSocket, and a cross-site page must
 * not read another site's frames), the page well-formed, live and owned by the caller's session
 * (400, 404, 410, 403), a held-connection slot ({@code maxHeldConnections}, 503). Then upgrades
 * the request through the container's {@link ServerContainer} (the {@code ServletContext}
 * attribute {@code jakarta.websocket.server.ServerContainer}, Jakarta WebSocket 2.1's
 * {@code upgradeHttpToWebSocket}) to a {@link PageSocket} resuming after {@code since}. A
 * container without WebSocket support answers 404 {@code "WebSocket is not available"}, and
 * halley.js falls back to its next transport. Not counted in {@code maxStreamsPerBrowser}:
 * browsers keep WebSockets out of their six HTTP connections per host. Called on the request's
 * thread.
 */
public final class WebSocketEndpoint {
    /** The ServletContext attribute under which a container offers its WebSocket {@link ServerContainer}. */
    public static final String CONTAINER_ATTRIBUTE = "jakarta.websocket.server.ServerContainer";
    /** How long an upgraded request may take to open before its reserved slot is given back. */
    private static final long OPEN_WITHIN_SECONDS = 10;

    private final Halley halley;
    private final CometSettings settings;
    private final OriginPolicy origins;
    private final Connections registry;
    private final ScheduledExecutorService timer;
    private final Executor closers;

    public WebSocketEndpoint(Halley halley, CometSettings settings, OriginPolicy origins, Connections registry,
                             ScheduledExecutorService timer, Executor closers) {
        this.halley = halley;
        this.settings = settings;
        this.origins = origins;
        this.registry = registry;
        this.timer = timer;
        this.closers = closers;
    }

    /** This endpoint as the {@code /ws} route (called by {@link WebSockets#route} once the API is known to be there). */
    static io.halley.servlet.internal.Routes.Handler handler(Halley halley, CometSettings settings, OriginPolicy origins,
                                                             Connections registry, ScheduledExecutorService timer,
                                                             Executor closers) {
        return new WebSocketEndpoint(halley, settings, origins, registry, timer, closers)::serve;
    }

    public void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object c = req.getServletContext().getAttribute(CONTAINER_ATTRIBUTE);
        if (!(c instanceof ServerContainer)) throw notAvailable();
        ServerContainer container = (ServerContainer) c;
        if (!isOpeningHandshake(req)) throw Http.badInput("a WebSocket upgrade is expected");
        origins.check(req, true);
        String pageId = Http.requiredQuery(req, "page");
        long since = Http.sequence(Http.query(req, "since"), "since", 0);
        Page page = halley.page(pageId, SessionIds.find(req));
        io.halley.servlet.internal.Identities.check(page, req); // opened as the session's previous user: 410
        if (!registry.reserve()) {
            resp.setHeader("Retry-After", "5");
            Http.error(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "too many held connections (maxHeldConnections " + settings.maxHeldConnections() + ")");
            return;
        }
        PageSocket socket = new PageSocket(page, since, registry, halley.metrics().transport("ws"),
                new SocketCommands(halley, page, settings.maxBodyBytes()), closers);
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(PageSocket.class, "/ws")
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(socket);
                    }
                }).build();
        boolean upgraded = false;
        try {
            container.upgradeHttpToWebSocket(req, resp, config, Map.of());
            upgraded = true;
        } catch (DeploymentException e) {
            throw notAvailable();
        } finally {
            // a failed upgrade may have opened the socket already (a client that reset the
            // connection during the handshake): then the socket's close gives the slot back
            if (!upgraded && !socket.openedOrAbandoned()) registry.unreserve();
        }
        try {
            timer.schedule(() -> {
                if (!socket.openedOrAbandoned()) registry.unreserve();
            }, OPEN_WITHIN_SECONDS, TimeUnit.SECONDS);
        } catch (RuntimeException stopping) {
            // the servlet is stopping: its shutdown ends the socket
        }
    }

    /**
     * Whether {@code req} opens a WebSocket: over HTTP/1.1 a {@code GET} with {@code Upgrade: websocket}
     * (RFC 6455); over HTTP/2 an extended {@code CONNECT} (RFC 8441), which has no {@code Upgrade}
     * header but a {@code Sec-WebSocket-Version}, its {@code :protocol} pseudo-header (which the
     * Servlet API does not show) being checked by the container's upgrade. Browsers use the
     * latter only where the server announced {@code SETTINGS_ENABLE_CONNECT_PROTOCOL} (Jetty 12
     * does, Tomcat does not), else they open the WebSocket on an HTTP/1.1 connection of its own.
     */
    static boolean isOpeningHandshake(HttpServletRequest req) {
        if ("GET".equals(req.getMethod())) return "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
        return "CONNECT".equals(req.getMethod()) && req.getProtocol() != null && req.getProtocol().startsWith("HTTP/2")
                && req.getHeader("Sec-WebSocket-Version") != null;
    }

    static HalleyException notAvailable() {
        return new HalleyException(HalleyException.Kind.NOT_FOUND, "WebSocket is not available on this server");
    }
}
