package io.halley.servlet.internal.stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.servlet.CometSettings;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.OriginPolicy;
import io.halley.servlet.internal.SessionIds;
import io.halley.servlet.internal.page.PagePost;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The shared streams, at most one per browser (Halley session id), and their endpoints:
 *
 * <ul>
 *   <li>{@code GET /shared?page=P&since=N}: the elected tab's request. Checks the page (live,
 *   owned by the caller's session, else 404/410/403) and holds a {@link SharedStream} with that
 *   page on it, replacing the session's previous shared stream. Counts as one stream of the
 *   browser's budget ({@link BrowserBudget}); past it, the SSE advice to poll.</li>
 *   <li>{@code POST /join} {@code {"page","since","renew"}}: a checked page POST ({@link PagePost}:
 *   origin, token, the page owned by the caller's session) that puts the page on the caller's
 *   session's shared stream from {@code since}: 200 {@code {"joined":true}}, or 409
 *   {@code {"error"}} when the browser holds none now (the elected tab is reconnecting).</li>
 *   <li>{@code POST /leave} {@code {"page"}}: takes the page off it (its tab closed): 200
 *   {@code {"left":true|false}}.</li>
 *   <li>{@code POST /here} {@code {"page"}}: the page's tab is there; renews its membership, which
 *   lapses after {@code sharedPageTimeout} without word: 200 {@code {"here":true,"renewEvery":ms}},
 *   or 409 {@code {"error"}} when the page is not on the browser's shared stream (taken off: its
 *   tab joins again). {@code /join}'s answer carries {@code renewEvery} too. Only a page whose
 *   tab renews ({@code "renew":true} on {@code /join}, or one {@code /here}) times out, so
 *   a halley.js from before renewals keeps its pages on.</li>
 * </ul>
 *
 * Pages of another session can never be put on a stream: the page checks refuse them (403).
 * Called on request threads; nothing blocks beyond a small body read.
 */
public final class SharedStreams {
    /** The budget's key for a browser's shared stream (page ids never contain '*'). */
    private static final String BUDGET_KEY = "*shared";
    private static final SseFormat SSE = new SseFormat();

    private final ConcurrentHashMap<String, SharedStream> bySession = new ConcurrentHashMap<>();
    private final Halley halley;
    private final CometSettings settings;
    private final OriginPolicy origins;
    private final Connections registry;
    private final BrowserBudget budget;
    private final Executor writers;

    SharedStreams(Halley halley, CometSettings settings, OriginPolicy origins, Connections registry, BrowserBudget budget,
                  Executor writers) {
        this.halley = halley;
        this.settings = settings;
        this.origins = origins;
        this.registry = registry;
        this.budget = budget;
        this.writers = writers;
    }

    /** {@code GET /shared}. */
    void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String pageId = Http.requiredQuery(req, "page");
        long since = Http.sequence(Http.query(req, "since"), "since", 0);
        String session = SessionIds.find(req);
        if (session == null) {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "a shared stream needs the browser's session id");
        }
        Page page = halley.page(pageId, session);
        io.halley.servlet.internal.Identities.check(page, req); // opened as the session's previous user: 410
        BrowserBudget.Ticket ticket = budget.admit(req, session, BUDGET_KEY);
        if (ticket == null) {
            byte[] advice = SSE.advice(settings.overBudgetPollInterval().toMillis());
            Http.noCache(resp);
            SSE.prepare(resp);
            resp.setContentLength(advice.length);
            resp.getOutputStream().write(advice);
            return;
        }
        if (!registry.reserve()) {
            ticket.release();
            resp.setHeader("Retry-After", "5");
            Http.error(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "too many held connections (maxHeldConnections " + settings.maxHeldConnections() + ")");
            return;
        }
        boolean taken = false;
        AsyncContext async = null;
        try {
            async = req.startAsync();
            async.setTimeout(0);
            Http.noCache(resp);
            SSE.prepare(resp);
            Http.streamBuffer(resp, settings.streamResponseBuffer());
            SharedStream stream = new SharedStream(session, async, resp, registry, ticket, this, writers,
                    halley.metrics().transport("shared"), settings.sharedPageTimeout());
            registry.add(stream);
            taken = true;
            SharedStream previous = bySession.put(session, stream);
            if (previous != null) previous.replaced();
            stream.start();
            try {
                stream.join(page, since, false); // halley.js renews it at once (POST /here)
            } catch (HalleyException gone) { // died since the lookup: the client probes and re-opens
                stream.shutdown();
            }
        } finally {
            if (!taken) {
                registry.unreserve();
                ticket.release();
                if (async != null) async.complete();
            }
        }
    }

    /** {@code POST /join}. */
    void join(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PagePost post = PagePost.read(req, halley, origins, settings.maxBodyBytes());
        long since = since(post.body());
        SharedStream stream = bySession.get(SessionIds.find(req));
        JsonObject o = new JsonObject();
        JsonElement renew = post.body().get("renew");
        boolean renews = renew != null && renew.isJsonPrimitive() && renew.getAsJsonPrimitive().isBoolean() && renew.getAsBoolean();
        if (stream == null || !stream.join(post.page(), since, renews)) {
            Http.error(resp, HttpServletResponse.SC_CONFLICT, "this browser holds no shared stream now");
            return;
        }
        o.addProperty("joined", true);
        o.addProperty("renewEvery", renewEveryMillis());
        Http.json(resp, HttpServletResponse.SC_OK, o);
    }

    /** {@code POST /here}. */
    void here(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PagePost post = PagePost.read(req, halley, origins, settings.maxBodyBytes());
        SharedStream stream = bySession.get(SessionIds.find(req));
        if (stream == null || !stream.here(post.page().id())) {
            Http.error(resp, HttpServletResponse.SC_CONFLICT, "this page is not on the browser's shared stream");
            return;
        }
        JsonObject o = new JsonObject();
        o.addProperty("here", true);
        o.addProperty("renewEvery", renewEveryMillis());
        Http.json(resp, HttpServletResponse.SC_OK, o);
    }

    /** How often a tab renews its pages: a quarter of {@code sharedPageTimeout}. */
    private long renewEveryMillis() {
        return settings.sharedPageTimeout().toMillis() / 4;
    }

    /** {@code POST /leave}. */
    void leave(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PagePost post = PagePost.read(req, halley, origins, settings.maxBodyBytes());
        SharedStream stream = bySession.get(SessionIds.find(req));
        JsonObject o = new JsonObject();
        o.addProperty("left", stream != null && stream.leave(post.page().id()));
        Http.json(resp, HttpServletResponse.SC_OK, o);
    }

    /** The stream ended: it is no longer its session's (unless a newer one is already). */
    void ended(SharedStream stream) {
        bySession.remove(stream.session, stream);
    }

    /** Shared streams held now, and pages on the one of {@code session} (0 when none). */
    int pagesOn(String session) {
        SharedStream s = session == null ? null : bySession.get(session);
        return s == null ? 0 : s.size();
    }

    int count() {
        return bySession.size();
    }

    private static long since(JsonObject body) {
        JsonElement e = body.get("since");
        if (e == null || e.isJsonNull()) return 0;
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                long n = e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
                if (n >= 0) return n;
            }
        } catch (ArithmeticException notAnInteger) {
            // falls through
        }
        throw Http.badInput("'since' must be a non-negative integer");
    }
}
