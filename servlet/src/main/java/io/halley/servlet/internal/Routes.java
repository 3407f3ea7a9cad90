package io.halley.servlet.internal;

import io.halley.core.HalleyException;
import io.halley.servlet.internal.page.ActionEndpoint;
import io.halley.servlet.internal.page.CallEndpoint;
import io.halley.servlet.internal.page.ChannelEndpoint;
import io.halley.servlet.internal.page.PageEndpoint;
import io.halley.servlet.internal.play.ChannelStreamEndpoint;
import io.halley.servlet.internal.push.PushEndpoint;
import io.halley.servlet.internal.stream.StreamEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * The routing table of a {@link CometServlet}: a path relative to the mount and a method to an
 * endpoint; 405 with {@code Allow} for a wrong method on a known path, 404 for an unknown path,
 * CORS preflights for the page POSTs. Immutable after construction; called on request threads.
 */
public final class Routes {
    private static final Set<String> STREAMS = Set.of("/sse", "/iframe", "/poll");
    private static final Set<String> CHANNEL_OPS = Set.of("/subscribe", "/unsubscribe", "/publish");
    private static final Set<String> SHARED_OPS = Set.of("/join", "/leave", "/here");

    private final ClientScripts scripts;
    private final OriginPolicy origins;
    private final PageEndpoint pages;
    private final StreamEndpoint streams;
    private final ActionEndpoint actions;
    private final CallEndpoint calls;
    private final ChannelEndpoint channels;
    private final ChannelStreamEndpoint channelStreams;
    private final PushEndpoint push;
    private final Handler webSocket;

    /** A route's handler. */
    @FunctionalInterface
    public interface Handler {
        void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException;
    }

    public Routes(ClientScripts scripts, OriginPolicy origins, PageEndpoint pages, StreamEndpoint streams,
           ActionEndpoint actions, CallEndpoint calls, ChannelEndpoint channels,
           ChannelStreamEndpoint channelStreams, PushEndpoint push, Handler webSocket) {
        this.webSocket = webSocket;
        this.scripts = scripts;
        this.origins = origins;
        this.pages = pages;
        this.streams = streams;
        this.actions = actions;
        this.calls = calls;
        this.channels = channels;
        this.channelStreams = channelStreams;
        this.push = push;
    }

    public void route(String method, String path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (scripts.has(path)) {
            if (method.equals("GET")) scripts.serve(path, req, resp);
            else notAllowed(resp, "GET");
        } else if (path.equals("/page")) {
            if (method.equals("POST")) pages.open(req, resp);
            else if (method.equals("GET")) pages.probe(req, resp);
            else if (method.equals("OPTIONS")) origins.preflight(req, resp);
            else notAllowed(resp, "GET, POST");
        } else if (STREAMS.contains(path)) {
            if (method.equals("GET")) streams.serve(path.substring(1), req, resp);
            else if (method.equals("OPTIONS")) origins.preflight(req, resp);
            else notAllowed(resp, "GET");
        } else if (path.equals("/ws")) {
            // GET: the HTTP/1.1 upgrade (RFC 6455); CONNECT: HTTP/2's extended CONNECT (RFC 8441)
            if (method.equals("GET") || method.equals("CONNECT")) webSocket.serve(req, resp);
            else notAllowed(resp, "GET");
        } else if (path.equals("/shared")) {
            if (method.equals("GET")) streams.serveShared("shared", req, resp);
            else notAllowed(resp, "GET");
        } else if (SHARED_OPS.contains(path)) {
            if (pagePost(method, req, resp)) streams.serveShared(path.substring(1), req, resp);
        } else if (path.startsWith("/action/")) {
            if (pagePost(method, req, resp)) actions.serve(path.substring("/action/".length()), req, resp);
        } else if (path.startsWith("/call/")) {
            if (pagePost(method, req, resp)) calls.serve(path.substring("/call/".length()), req, resp);
        } else if (CHANNEL_OPS.contains(path)) {
            if (pagePost(method, req, resp)) channels.serve(path.substring(1), req, resp);
        } else if (path.startsWith("/comet/")) {
            if (method.equals("GET")) channelStreams.serve(path.substring("/comet/".length()), req, resp);
            else notAllowed(resp, "GET");
        } else if (path.equals("/push/sub")) {
            if (method.equals("GET")) push.subscribe(req, resp);
            else notAllowed(resp, "GET");
        } else if (path.equals("/push/pub")) {
            if (method.equals("POST")) push.publish(req, resp);
            else if (method.equals("GET")) push.info(req, resp);
            else if (method.equals("DELETE")) push.delete(req, resp);
            else notAllowed(resp, "GET, POST, DELETE");
        } else {
            throw new HalleyException(HalleyException.Kind.NOT_FOUND, "unknown path");
        }
    }

    /** True for a POST; answers a preflight or 405 otherwise. */
    private boolean pagePost(String method, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (method.equals("POST")) return true;
        if (method.equals("OPTIONS")) origins.preflight(req, resp);
        else notAllowed(resp, "POST");
        return false;
    }

    private static void notAllowed(HttpServletResponse resp, String allow) throws IOException {
        resp.setHeader("Allow", allow);
        Http.error(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed; use " + allow);
    }
}
