package io.halley.core.spi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The single-node {@link ChannelHistory}: the last {@code capacity} messages per channel, in memory. */
public final class InMemoryChannelHistory implements ChannelHistory {
    private final int capacity;
    private final Map<String, Log> logs = new ConcurrentHashMap<>();

    private static final class Log {
        long lastId;
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
    }

    /** @param capacity messages kept per channel, at least 0 */
    public InMemoryChannelHistory(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        this.capacity = capacity;
    }

    @Override
    public long append(String channel, String dataJson) {
        Log log = logs.computeIfAbsent(channel, c -> new Log());
        synchronized (log) {
            long id = ++log.lastId;
            if (capacity > 0) {
                log.entries.addLast(new Entry(id, dataJson));
                while (log.entries.size() > capacity) log.entries.removeFirst();
            }
            return id;
        }
    }

    @Override
    public long lastId(String channel) {
        Log log = logs.get(channel);
        if (log == null) return 0;
        synchronized (log) {
            return log.lastId;
        }
    }

    @Override
    public List<Entry> since(String channel, long afterId) {
        Log log = logs.get(channel);
        if (log == null) return List.of();
        synchronized (log) {
            List<Entry> out = new ArrayList<>();
            for (Entry e : log.entries) if (e.id() > afterId) out.add(e);
            return out;
        }
    }
}
