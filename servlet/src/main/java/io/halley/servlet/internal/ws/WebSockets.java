package io.halley.servlet.internal.ws;

import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.servlet.CometSettings;
import io.halley.servlet.internal.OriginPolicy;
import io.halley.servlet.internal.Routes;
import io.halley.servlet.internal.stream.Connections;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code /ws} route, safe to call where the WebSocket API is missing: this class names no
 * {@code jakarta.websocket} type, so loading it (and the servlet) never fails; only when the API
 * is on the class path is {@link WebSocketEndpoint} loaded. Called once, by the servlet's init.
 */
public final class WebSockets {
    private WebSockets() {
    }

    /**
     * {@link WebSocketEndpoint} where the WebSocket API is present, else a route answering 404 JSON.
     * {@code closers} run the sockets' closes (which may block: see {@link PageSocket}).
     */
    public static Routes.Handler route(Halley halley, CometSettings settings, OriginPolicy origins, Connections registry,
                                       ScheduledExecutorService timer, Executor closers) {
        try {
            Class.forName("jakarta.websocket.server.ServerContainer", false, WebSockets.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return (req, resp) -> {
                throw new HalleyException(HalleyException.Kind.NOT_FOUND, "WebSocket is not available on this server");
            };
        }
        return WebSocketEndpoint.handler(halley, settings, origins, registry, timer, closers);
    }
}
