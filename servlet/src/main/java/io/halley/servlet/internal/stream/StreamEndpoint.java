package io.halley.servlet.internal.stream;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.servlet.CometSettings;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.Identities;
import io.halley.servlet.internal.SessionIds;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /sse}, {@code /iframe} and {@code /poll}: checks the page (well-formed, live, owned by
 * the caller's session) and the resume point, then holds the request as a {@link HeldStream}.
 * Everything that can fail is checked before the request goes async, so errors are plain JSON
 * answers. At the held-request limit the streams held are probed first (a reset connection among
 * them fails and frees its slot) and the request waits async, in line with the others, about
 * half a second for a slot before it is refused with 503. Over HTTP/1.x a browser past its
 * connection budget ({@link BrowserBudget}, {@code maxStreamsPerBrowser}) is not held at all: an
 * SSE or iframe request gets the format's advice to poll every {@code overBudgetPollInterval}
 * and ends, a poll is answered at once with its frames and that advice. Called on the request's
 * thread; returns at once.
 */
public final class StreamEndpoint {
    /** Stateless formats, shared by every stream. */
    private static final FrameFormat SSE = new SseFormat();
    private static final FrameFormat POLL = new PollFormat();
    private static final Logger LOG = LoggerFactory.getLogger(StreamEndpoint.class);
    /** Waiting at the limit: this long between tries, this many tries (about half a second in all). */
    private static final int SLOT_WAIT_MS = 100;
    private static final int SLOT_TRIES = 5;
    private final Halley halley;
    private final CometSettings settings;
    private final Connections registry;
    private final ScheduledExecutorService timer;
    private final java.util.concurrent.Executor writers;
    private final BrowserBudget budget;

    private final SharedStreams shared;

    public StreamEndpoint(Halley halley, CometSettings settings, io.halley.servlet.internal.OriginPolicy origins,
                          Connections registry, ScheduledExecutorService timer, java.util.concurrent.Executor writers) {
        this.writers = writers;
        this.halley = halley;
        this.settings = settings;
        this.registry = registry;
        this.timer = timer;
        this.budget = new BrowserBudget(settings.maxStreamsPerBrowser());
        this.shared = new SharedStreams(halley, settings, origins, registry, budget, writers);
    }

    /**
     * The shared stream of a browser's tabs ({@link SharedStreams}): {@code shared} (GET),
     * {@code join}, {@code leave} and {@code here} (POST).
     */
    public void serveShared(String op, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (op) {
            case "shared" -> shared.serve(req, resp);
            case "join" -> shared.join(req, resp);
            case "leave" -> shared.leave(req, resp);
            case "here" -> shared.here(req, resp);
            default -> throw new IllegalArgumentException("unknown shared-stream operation " + op);
        }
    }

    /** Pages on the shared stream of the browser {@code session} now (0 when it holds none). */
    public int pagesOnSharedStream(String session) {
        return shared.pagesOn(session);
    }

    /** The connection budget of each browser. */
    public BrowserBudget budget() {
        return budget;
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
        String session = SessionIds.find(req);
        Page page = halley.page(pageId, session);
        Identities.check(page, req); // a page of the session's previous user: 410, the client opens a new one
        FrameFormat format = format(transport, req, page);
        if (!req.isAsyncSupported()) {
            throw new IllegalStateException("CometServlet must be registered with asyncSupported=true");
        }
        // the page's own copy of the session id: the request's is garbage once it is parsed
        BrowserBudget.Ticket ticket = budget.admit(req, session == null ? null : page.sessionId(), page.id());
        Hold h;
        if (ticket != null) {
            h = new Hold(page, format, since, settings.pollTimeout(), ticket);
        } else {
            long advised = settings.overBudgetPollInterval().toMillis();
            byte[] advice = format.advice(advised);
            if (advice != null) {
                advise(resp, format, advice);
                return;
            }
            h = new Hold(page, new PollFormat(advised), since, java.time.Duration.ZERO, BrowserBudget.NONE);
        }
        boolean started = false;
        try {
            if (!registry.reserve()) {
                waitForSlot(req, resp, h);
                started = true;
                return;
            }
            AsyncContext async = null;
            try {
                async = req.startAsync();
            } finally {
                if (async == null) registry.unreserve();
            }
            started = true;
            hold(async, resp, h);
        } finally {
            if (!started) h.ticket.release();
        }
    }

    /** What to hold: a page's stream from {@code since}, its poll timeout, its budget ticket. */
    private record Hold(Page page, FrameFormat format, long since, java.time.Duration pollTimeout,
                        BrowserBudget.Ticket ticket) {
    }

    /** Answers a stream request past its browser's budget with the format's advice to poll; a small blocking write. */
    private static void advise(HttpServletResponse resp, FrameFormat format, byte[] advice) throws IOException {
        Http.noCache(resp);
        format.prepare(resp);
        resp.setContentLength(advice.length);
        resp.getOutputStream().write(advice);
    }

    /** Holds {@code async} as a stream in the slot reserved for it; gives slot and ticket back when it cannot. */
    private void hold(AsyncContext async, HttpServletResponse resp, Hold h) throws IOException {
        boolean taken = false;
        try {
            Http.noCache(resp);
            h.format.prepare(resp);
            // a held stream keeps its response buffer to its end; a poll answer is one write, sent unsliced
            if (!h.format.singleShot()) Http.streamBuffer(resp, settings.streamResponseBuffer());
            async.setTimeout(0); // timeouts are ours: heartbeats and the poll deadline
            HeldStream stream = new HeldStream(async, resp, h.page, h.format, registry, h.since, writers, h.ticket,
                    halley.metrics().transport(h.format.name()));
            registry.add(stream);
            taken = true;
            stream.start(h.pollTimeout);
        } finally {
            if (!taken) {
                registry.unreserve();
                h.ticket.release();
                async.complete();
            }
        }
    }

    /**
     * At the held-request limit: probes the held streams (reset connections among them fail and
     * free their slots) every {@value #SLOT_WAIT_MS} ms and queues the request for a slot, first
     * come first served, for {@value #SLOT_TRIES} such periods before refusing it with 503 and
     * {@code Retry-After}. The request waits async; no thread waits.
     */
    private void waitForSlot(HttpServletRequest req, HttpServletResponse resp, Hold h) throws IOException {
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        Connections.Waiter w = new Connections.Waiter() {
            @Override
            public void granted() {
                try {
                    async.start(() -> holdOrEnd(async, resp, h));
                } catch (RuntimeException gone) {
                    registry.unreserve();
                    h.ticket.release();
                    complete(async);
                }
            }

            @Override
            public void stopping() {
                h.ticket.release();
                startOrEnd(async, () -> refuse(async, resp, "the server is stopping"));
            }
        };
        registry.probeAtLimit();
        registry.enqueue(w);
        try {
            for (int i = 1; i < SLOT_TRIES; i++) timer.schedule(registry::probeAtLimit, i * SLOT_WAIT_MS, TimeUnit.MILLISECONDS);
            timer.schedule(() -> {
                if (registry.cancel(w)) {
                    h.ticket.release();
                    startOrEnd(async, () -> refuse(async, resp,
                            "too many held connections (maxHeldConnections " + settings.maxHeldConnections() + ")"));
                }
            }, SLOT_TRIES * SLOT_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException stopping) { // the timer is shut down: the servlet is stopping
            if (registry.cancel(w)) {
                h.ticket.release();
                complete(async);
            }
        }
    }

    private void holdOrEnd(AsyncContext async, HttpServletResponse resp, Hold h) {
        try {
            hold(async, resp, h);
        } catch (IOException | RuntimeException e) { // hold gave the slot back
            LOG.debug("a stream that waited for a slot ended: {}", e.toString());
            complete(async);
        }
    }

    /** Runs {@code task} on a container thread; completes the request when it cannot (it ended). */
    private static void startOrEnd(AsyncContext async, Runnable task) {
        try {
            async.start(task);
        } catch (RuntimeException gone) {
            complete(async);
        }
    }

    private void refuse(AsyncContext async, HttpServletResponse resp, String reason) {
        try {
            resp.setHeader("Retry-After", "5");
            Http.error(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, reason);
        } catch (IOException | RuntimeException e) {
            LOG.debug("refusing a stream: {}", e.toString());
        }
        complete(async);
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (RuntimeException e) {
            LOG.debug("completing a refused stream: {}", e.toString());
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
