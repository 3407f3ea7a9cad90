package io.halley.core;

import io.halley.core.internal.Ids;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live pages of a runtime, indexed by id and by session, and a bounded memory of recently
 * dead page ids so that a client of a dead page is told 410 (gone) rather than 404 (unknown).
 * Thread-safe.
 */
final class PageRegistry {
    private static final int GONE_CAPACITY = 100_000;

    private final Map<String, Page> byId = new ConcurrentHashMap<>();
    /** Each session's pages as a small copy-on-write array (most sessions have one or two). */
    private final Map<String, Page[]> bySession = new ConcurrentHashMap<>();
    /** Each named user's pages, as {@link #bySession}; guarded for writes by {@code bySession}. */
    private final Map<String, Page[]> byUser = new ConcurrentHashMap<>();
    private static final Page[] NONE = new Page[0];
    /** The key page tokens derive from ({@link Ids#token}). */
    private final byte[] tokenKey = Ids.newKey();
    private final LinkedHashMap<String, Long> gone = new LinkedHashMap<>(); // guarded by itself
    private final long goneNanos;
    private final int maxPerSession;

    PageRegistry(HalleyConfig config) {
        this.goneNanos = config.goneMemory().toNanos();
        this.maxPerSession = config.maxPagesPerSession();
    }

    /** Registers a new page, or fails with LIMIT when the session has too many. */
    Page open(Page.Host host, String sessionId, User user) {
        Page page;
        synchronized (bySession) {
            Page[] pages = bySession.getOrDefault(sessionId, NONE);
            if (pages.length >= maxPerSession) {
                throw new HalleyException(HalleyException.Kind.LIMIT, "session already has " + pages.length
                        + " open pages (maxPagesPerSession)");
            }
            page = new Page(host, sessionId, user, tokenKey);
            bySession.put(sessionId, plus(pages, page));
            if (!user.isAnonymous()) byUser.put(user.name(), plus(byUser.getOrDefault(user.name(), NONE), page));
            byId.put(page.id(), page);
        }
        return page;
    }

    /**
     * The live page {@code id} of {@code sessionId}.
     *
     * @throws HalleyException BAD_INPUT for a malformed id, GONE for a dead one, NOT_FOUND for an
     *         unknown one, FORBIDDEN for another session's page
     */
    Page lookup(String id, String sessionId) {
        if (!Ids.isWellFormed(id)) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "malformed page id");
        Page p = byId.get(id);
        if (p == null) {
            if (wasGone(id)) throw new HalleyException(HalleyException.Kind.GONE, "page is gone");
            throw new HalleyException(HalleyException.Kind.NOT_FOUND, "unknown page");
        }
        if (sessionId == null || !p.sessionId().equals(sessionId)) {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "page belongs to another session");
        }
        return p;
    }

    /** The live page {@code id} regardless of session, or null. */
    Page find(String id) {
        return id == null ? null : byId.get(id);
    }

    void remove(Page p) {
        synchronized (bySession) {
            byId.remove(p.id());
            without(bySession, p.sessionId(), p);
            if (!p.user().isAnonymous()) without(byUser, p.user().name(), p);
        }
        synchronized (gone) {
            long now = System.nanoTime();
            gone.put(p.id(), now);
            Iterator<Map.Entry<String, Long>> it = gone.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                if (gone.size() > GONE_CAPACITY || now - e.getValue() > goneNanos) it.remove();
                else break;
            }
        }
    }

    private static Page[] plus(Page[] pages, Page page) {
        Page[] more = Arrays.copyOf(pages, pages.length + 1);
        more[pages.length] = page;
        return more;
    }

    private static void without(Map<String, Page[]> index, String key, Page p) {
        Page[] pages = index.get(key);
        if (pages == null) return;
        Page[] fewer = Arrays.stream(pages).filter(x -> x != p).toArray(Page[]::new);
        if (fewer.length == 0) index.remove(key);
        else index.put(key, fewer);
    }

    private boolean wasGone(String id) {
        synchronized (gone) {
            Long at = gone.get(id);
            return at != null && System.nanoTime() - at <= goneNanos;
        }
    }

    List<Page> ofSession(String sessionId) {
        Page[] pages = bySession.get(sessionId);
        return pages == null ? List.of() : List.of(pages);
    }

    /** The live pages of the user named {@code name} on this node. */
    List<Page> ofUser(String name) {
        Page[] pages = name == null ? null : byUser.get(name);
        return pages == null ? List.of() : List.of(pages);
    }

    Collection<Page> all() {
        return new ArrayList<>(byId.values());
    }

    int size() {
        return byId.size();
    }
}
