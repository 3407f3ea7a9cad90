package io.halley.servlet.internal.stream;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
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
    private static final String[] NO_PAGES = {};
    /**
     * session id -> the ids of its pages holding a stream, a page twice for a moment while its new
     * stream replaces the previous one. Arrays, replaced on every change (a browser holds a few):
     * an entry costs a map node and one small array, not a map of its own per browser.
     */
    private final ConcurrentHashMap<String, String[]> held = new ConcurrentHashMap<>();
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
                String[] left = withoutOne(pages, page);
                return left.length == 0 ? null : left;
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
            String[] now = pages != null ? pages : NO_PAGES;
            if (indexOf(now, page) < 0 && distinct(now) >= max) return pages;
            ok[0] = true;
            String[] more = Arrays.copyOf(now, now.length + 1);
            more[now.length] = page;
            return more;
        });
        return ok[0] ? new Ticket(session, page, false) : null;
    }

    /** Pages of {@code session} holding a stream now (for tests and monitoring). */
    public int pagesHeld(String session) {
        int[] n = {0};
        held.computeIfPresent(session, (s, pages) -> {
            n[0] = distinct(pages);
            return pages;
        });
        return n[0];
    }

    private static int indexOf(String[] pages, String page) {
        for (int i = 0; i < pages.length; i++) if (pages[i].equals(page)) return i;
        return -1;
    }

    /** How many different pages are in {@code pages} (a page is there at most twice, in a row or not). */
    private static int distinct(String[] pages) {
        int n = 0;
        for (int i = 0; i < pages.length; i++) if (indexOf(pages, pages[i]) == i) n++;
        return n;
    }

    /** {@code pages} with one occurrence of {@code page} less (the same array when it is not there). */
    private static String[] withoutOne(String[] pages, String page) {
        int at = indexOf(pages, page);
        if (at < 0) return pages;
        String[] less = new String[pages.length - 1];
        System.arraycopy(pages, 0, less, 0, at);
        System.arraycopy(pages, at + 1, less, at, pages.length - at - 1);
        return less;
    }

    /** Whether each held stream of the request's protocol takes a connection of its own (HTTP/1.x). */
    static boolean countsConnections(HttpServletRequest req) {
        String protocol = req.getProtocol();
        return protocol == null || protocol.startsWith("HTTP/1");
    }
}
