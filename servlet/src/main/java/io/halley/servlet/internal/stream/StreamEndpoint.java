package io.halley.servlet.internal.stream;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.servlet.CometSettings;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.SessionIds;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code GET /sse}, {@code /iframe} and {@code /poll}: checks the page (well-formed, live, owned by
 * the caller's session) and the resume point, then holds the request as a {@link HeldStream}.
 * Everything that can fail is checked before the request goes async, so errors are plain JSON
 * answers. Called on the request's thread; returns at once.
 */
public final class StreamEndpoint {
    /** Stateless formats, shared by every stream. */
    private static final FrameFormat SSE = new SseFormat();
    private static final FrameFormat POLL = new PollFormat();
    private final Halley halley;
    private final CometSettings settings;
    private final Connections registry;
    private final ScheduledExecutorService timer;

    public StreamEndpoint(Halley halley, CometSettings settings, Connections registry, ScheduledExecutorService timer) {
        this.halley = halley;
        this.settings = settings;
        this.registry = registry;
        this.timer = timer;
    }

    /**
     * Holds the request as a {@code transport} stream ({@code sse}, {@code iframe}, {@code poll}).
     * The resume point is {@code since} (default 0), or for SSE the {@code Last-Event-ID} header
     * when present.
     *
     * @throws io.halley.core.HalleyException BAD_INPUT, FORBIDDEN, NOT_FOUND or GONE
     */
    public void serve(String transport, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // the query itself, not getParameter: a held request would keep the parsed copy for hours
        String pageId = Http.requiredQuery(req, "page");
        String lastEventId = req.getHeader("Last-Event-ID");
        long since = transport.equals("sse") && lastEventId != null
                ? Http.sequence(lastEventId, "Last-Event-ID", 0)
                : Http.sequence(Http.query(req, "since"), "since", 0);
        Page page = halley.page(pageId, SessionIds.find(req));
        FrameFormat format = format(transport, req, page);
        if (!req.isAsyncSupported()) {
            throw new IllegalStateException("CometServlet must be registered with asyncSupported=true");
        }
        if (!registry.reserve()) {
            resp.setHeader("Retry-After", "5");
            Http.error(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "too many held connections (maxHeldConnections " + settings.maxHeldConnections() + ")");
            return;
        }
        boolean taken = false;
        AsyncContext async = null;
        try {
            Http.noCache(resp);
            format.prepare(resp);
            async = req.startAsync();
            async.setTimeout(0); // timeouts are ours: heartbeats and the poll timer
            HeldStream stream = new HeldStream(async, resp, page, format, registry, since);
            registry.add(stream);
            taken = true;
            stream.start(timer, settings.pollTimeout());
        } finally {
            if (!taken) {
                registry.unreserve();
                if (async != null) async.complete();
            }
        }
    }

    private FrameFormat format(String transport, HttpServletRequest req, Page page) {
        switch (transport) {
            case "sse":
                return SSE;
            case "iframe":
                return new IframeFormat(page.id(), settings.nonceFor(req), settings.iframePadding(), settings.iframeBudget());
            case "poll":
                return POLL;
            default:
                throw new IllegalArgumentException("unknown transport " + transport);
        }
    }
}
