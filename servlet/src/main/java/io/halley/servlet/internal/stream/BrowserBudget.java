package io.halley.servlet.internal.stream;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connection budget of each browser (CometD's {@code maxSessionsPerBrowser}): how many pages
 * of one Halley session id hold a page stream at once over HTTP/1.x. A browser opens at most six
 * connections per host over HTTP/1.1 and each held stream takes one, so past the budget a new
 * stream is not held: it is answered at once with an advice to poll ({@link StreamEndpoint}),
 * which leaves the browser connections for its other requests. Counted per page, not per request:
 * a page's new stream replacing its previous one (a reconnect, a rotation) is always admitted.
 * Over HTTP/2 (or anything but HTTP/1.x) streams share one connection and nothing is counted.
 * Thread-safe; nothing blocks.
 */
public final class BrowserBudget {
    /** session id -> page id -> streams held (2 for a moment while one replaces the other). */
    private final ConcurrentHashMap<String, Map<String, Integer>> held = new ConcurrentHashMap<>();
    private final int max;

    /** @param max pages per browser with a held stream; 0 for no budget */
    public BrowserBudget(int max) {
        this.max = max;
    }

    /** A slot of the budget, given back once by {@link #release()}. */
    public final class Ticket {
        private final String session;
        private final String page;
        private boolean released; // guarded by this

        private Ticket(String session, String page, boolean released) {
            this.session = session;
            this.page = page;
            this.released = released;
        }

        /** Gives the slot back; a no-op the second time. Any thread. */
        public void release() {
            synchronized (this) {
                if (released) return;
                released = true;
            }
            held.computeIfPresent(session, (s, pages) -> {
                pages.computeIfPresent(page, (p, n) -> n > 1 ? n - 1 : null);
                return pages.isEmpty() ? null : pages;
            });
        }
    }

    /** A ticket that is no slot (a stream the budget does not count). */
    static final Ticket NONE = new BrowserBudget(0).new Ticket("", "", true);

    /**
     * Admits a stream of {@code page} for the request's browser: a ticket to release when the
     * stream ends, {@link #NONE} when the request is not counted (no budget, HTTP/2, no session
     * id), or null when the browser is at its budget with other pages.
     */
    public Ticket admit(HttpServletRequest req, String session, String page) {
        if (max == 0 || session == null || !countsConnections(req)) return NONE;
        boolean[] ok = {false};
        held.compute(session, (s, pages) -> {
            Map<String, Integer> m = pages != null ? pages : new HashMap<>(8);
            if (m.containsKey(page) || m.size() < max) {
                m.merge(page, 1, Integer::sum);
                ok[0] = true;
            }
            return m.isEmpty() ? null : m;
        });
        return ok[0] ? new Ticket(session, page, false) : null;
    }

    /** Pages of {@code session} holding a stream now (for tests and monitoring). */
    public int pagesHeld(String session) {
        int[] n = {0};
        held.computeIfPresent(session, (s, pages) -> {
            n[0] = pages.size();
            return pages;
        });
        return n[0];
    }

    /** Whether each held stream of the request's protocol takes a connection of its own (HTTP/1.x). */
    static boolean countsConnections(HttpServletRequest req) {
        String protocol = req.getProtocol();
        return protocol == null || protocol.startsWith("HTTP/1");
    }
}
