package io.halley.servlet.internal.push;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;

/**
 * Bodies posted to {@code /push/pub} waiting for their channel message to come back from the hub,
 * so that push subscribers get the body and content type as posted rather than the message's JSON.
 * A message is matched by identity first (the in-memory hub delivers the very {@code JsonElement}
 * published, on the publishing thread, before {@code publish} returns), else by equal JSON (a
 * distributed hub delivers a copy, later). Entries are dropped after {@value #MAX_AGE_S} s or past
 * {@value #MAX_ENTRIES}; their messages are then served as JSON. Thread-safe.
 */
public final class PushPending {
    static final long MAX_AGE_S = 60;
    static final int MAX_ENTRIES = 1000;

    /** One posted body. */
    static final class Entry {
        final JsonElement data;
        final String contentType;
        final byte[] body;
        final long created = System.nanoTime();
        /** The message id once matched, else -1. */
        volatile long id = -1;

        Entry(JsonElement data, String contentType, byte[] body) {
            this.data = data;
            this.contentType = contentType;
            this.body = body;
        }
    }

    private final List<Entry> entries = new ArrayList<>(); // guarded by this

    /** Records a body about to be published as {@code data}. */
    synchronized Entry add(JsonElement data, String contentType, byte[] body) {
        if (entries.size() >= MAX_ENTRIES) entries.remove(0);
        Entry e = new Entry(data, contentType, body);
        entries.add(e);
        return e;
    }

    /** Forgets {@code e} (its publish failed). */
    synchronized void remove(Entry e) {
        entries.remove(e);
    }

    /** The entry whose data this message carries, removed and given {@code id}; or null. */
    synchronized Entry match(JsonElement data, long id) {
        long now = System.nanoTime();
        entries.removeIf(e -> now - e.created > MAX_AGE_S * 1_000_000_000L);
        Entry found = null;
        for (Entry e : entries) {
            if (e.data == data) {
                found = e;
                break;
            }
        }
        if (found == null) {
            for (Entry e : entries) {
                if (e.data.equals(data)) {
                    found = e;
                    break;
                }
            }
        }
        if (found != null) {
            entries.remove(found);
            found.id = id;
        }
        return found;
    }
}
