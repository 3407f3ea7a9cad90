package io.halley.core.spi;

import java.util.List;

/**
 * Numbers channel messages and keeps a bounded history of each channel so that a client that
 * reconnects (to this node or another) catches up from the last id it saw.
 * {@link InMemoryChannelHistory} (the default) serves one node; a shared history (for example on
 * Redis) serves many.
 *
 * <p><b>Contract.</b> {@link #append} is called once per publish ({@link #appendAll} once per
 * batch), on the publisher's thread, before the message goes to the {@link Hub}; ids increase per channel across all nodes. Messages
 * from one publisher are delivered in publish order; two publishers racing on different nodes may
 * be seen in either order. Thread-safe; may block briefly on I/O.
 */
public interface ChannelHistory extends AutoCloseable {

    /** Records {@code dataJson} on {@code channel} and returns its id (1, 2, 3 … per channel). */
    long append(String channel, String dataJson);

    /**
     * Records the messages of one batch ({@code Halley.publishAll}) on {@code channel}, in list
     * order, and returns their ids in the same order (increasing). Called instead of
     * {@link #append} for a batch, on the publisher's thread. The default appends one at a time; a
     * shared history may record the whole batch in one round trip. On a failure (thrown as by
     * {@link #append}) some of the first messages may have been recorded.
     */
    default long[] appendAll(String channel, List<String> dataJson) {
        long[] ids = new long[dataJson.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = append(channel, dataJson.get(i));
        return ids;
    }

    /** The recorded messages of {@code channel} with an id above {@code afterId}, oldest first. */
    List<Entry> since(String channel, long afterId);

    /**
     * The newest id recorded on {@code channel}, 0 when none was. A subscriber whose {@code since}
     * lies above it belongs to another numbering (the history restarted: a node restarted with an
     * in-memory history, or a shared one lost its data) and is caught up from the start. The
     * default reads {@link #since} from 0, so an implementation that keeps no entries should
     * override it. Same threads and failures as {@link #since}.
     */
    default long lastId(String channel) {
        List<Entry> all = since(channel, 0);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).id();
    }

    /** Releases resources. */
    @Override
    default void close() {
    }

    /** One recorded message. */
    record Entry(long id, String dataJson) {
    }
}
