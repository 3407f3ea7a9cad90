package io.halley.core;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.halley.core.spi.ChannelHistory;
import io.halley.core.spi.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channels (Jii): a publish records the message in the {@link ChannelHistory} (which assigns its
 * id) and sends it through the {@link Hub}; each node receiving it encodes its {@code message}
 * command once and appends those shared bytes to every locally subscribed page's outbox, then
 * calls the server-side listeners.
 *
 * <p>Delivery for one channel on one node is serialised by the channel's lock, so every local
 * subscriber sees that channel's messages in the same order.
 */
final class ChannelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelRegistry.class);
    static final String TOPIC = "halley.channels";
    /** Recently delivered ids remembered per channel. */
    private static final int RECENT = 1024;

    /** What travels through the hub. */
    record Post(String channel, long id, JsonElement data) {
    }

    private final class Channel {
        final String name;
        /**
         * Subscribed pages and, for each, the highest id it already got from history on
         * subscribing: copies of those messages still travelling through the hub are skipped, so
         * a catch-up never duplicates (-1 when the page took no history).
         */
        final Map<Page, Long> pages = new ConcurrentHashMap<>();
        final List<ChannelListener> listeners = new CopyOnWriteArrayList<>();
        /** Set (under this channel's monitor) when it left the map for having no reader. */
        boolean retired;
        /** Ids delivered on this node lately, to deliver each message once (catch-up vs live). */
        final java.util.LinkedHashSet<Long> recent = new java.util.LinkedHashSet<>();
        long highest;

        Channel(String name) {
            this.name = name;
        }

        synchronized void deliver(long id, JsonElement data) {
            if (!recent.add(id)) return; // already delivered here (a catch-up got it first)
            if (recent.size() > RECENT) {
                java.util.Iterator<Long> it = recent.iterator();
                it.next();
                it.remove();
            }
            highest = Math.max(highest, id);
            ChannelMessage m = new ChannelMessage(name, id, data);
            if (!pages.isEmpty()) {
                String encoded = null;
                for (Map.Entry<Page, Long> e : pages.entrySet()) {
                    if (id <= e.getValue()) continue;
                    if (encoded == null) encoded = Json.encodeCommands(List.of(new Command.Message(name, id, data)));
                    try {
                        e.getKey().flushEncoded(encoded);
                    } catch (HalleyException ex) {
                        LOG.debug("channel message to {} refused: {}", e.getKey(), ex.getMessage());
                    }
                }
            }
            for (ChannelListener l : listeners) {
                try {
                    l.onMessage(m);
                } catch (RuntimeException ex) {
                    LOG.warn("listener of channel {} failed", name, ex);
                }
            }
        }

        /** Delivers what the history has and this node missed (after the hub lost messages). */
        synchronized void catchUp() {
            if (retired || highest == 0) return;
            for (ChannelMessage m : history(name, Math.max(0, highest - RECENT / 4))) deliver(m.id(), m.data());
        }

        synchronized void addPage(Page p, long sinceId) {
            if (sinceId < 0) {
                pages.putIfAbsent(p, -1L);
                return;
            }
            List<Command> missed = new ArrayList<>();
            long high = sinceId;
            for (ChannelMessage m : history(name, sinceId)) {
                missed.add(new Command.Message(name, m.id(), m.data()));
                high = Math.max(high, m.id());
            }
            pages.merge(p, high, Math::max);
            if (!missed.isEmpty()) p.flush(missed);
        }
    }

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Hub hub;
    private final ChannelHistory history;
    private final int maxMessageChars;
    private final AutoCloseable subscription;

    ChannelRegistry(Hub hub, ChannelHistory history, int maxMessageChars, java.util.concurrent.Executor catchUpThread) {
        this.hub = hub;
        this.history = history;
        hub.onResubscribed(topic -> {
            if (TOPIC.equals(topic)) catchUpThread.execute(this::catchUp);
        });
        this.maxMessageChars = maxMessageChars;
        this.subscription = hub.subscribe(TOPIC, this::onHub);
    }

    void publish(String channel, Object data) {
        Names.requireChannel(channel);
        JsonElement json = Json.toTree(data);
        String encoded = json.toString();
        if (encoded.length() > maxMessageChars) {
            throw new HalleyException(HalleyException.Kind.TOO_LARGE, "channel message of " + encoded.length()
                    + " chars exceeds maxMessageBytes " + maxMessageChars);
        }
        long id = history.append(channel, encoded);
        hub.publish(TOPIC, new Post(channel, id, json));
    }

    private void onHub(Object payload) {
        if (!(payload instanceof Post)) return;
        Post p = (Post) payload;
        Channel c = channels.get(p.channel());
        if (c != null) c.deliver(p.id(), p.data()); // no reader on this node: the history has it
    }

    /**
     * The live channel {@code name}, created if needed, held by its monitor while {@code action}
     * runs. Channels with no page and no listener leave the map (any name a client sends would
     * otherwise stay for ever), so a channel found retired is looked up again.
     */
    private Channel withChannel(String name, java.util.function.Consumer<Channel> action) {
        while (true) {
            Channel c = channels.computeIfAbsent(name, Channel::new);
            synchronized (c) {
                if (c.retired) continue;
                action.accept(c);
                return c;
            }
        }
    }

    private void retireIfIdle(Channel c) {
        synchronized (c) {
            if (!c.retired && c.pages.isEmpty() && c.listeners.isEmpty()) {
                c.retired = true;
                channels.remove(c.name, c);
            }
        }
    }

    void subscribe(Page page, String name, long sinceId) {
        withChannel(name, c -> c.addPage(page, sinceId));
    }

    void unsubscribe(Page page, String name) {
        Channel c = channels.get(name);
        if (c == null) return;
        c.pages.remove(page);
        retireIfIdle(c);
    }

    AutoCloseable listen(String name, ChannelListener listener) {
        Names.requireChannel(name);
        Channel c = withChannel(name, ch -> ch.listeners.add(listener));
        return () -> {
            c.listeners.remove(listener);
            retireIfIdle(c);
        };
    }

    /**
     * After the hub re-subscribed (its connection was lost): every channel with a reader here
     * gets, from the history, the messages published meanwhile, so a live page sees no gap.
     */
    void catchUp() {
        for (Channel c : channels.values()) {
            try {
                c.catchUp();
            } catch (RuntimeException e) {
                LOG.warn("catching up channel {} after a hub reconnect failed", c.name, e);
            }
        }
    }

    /** Channels with a reader on this node. */
    int channelCount() {
        return channels.size();
    }

    List<ChannelMessage> history(String name, long sinceId) {
        List<ChannelMessage> out = new ArrayList<>();
        for (ChannelHistory.Entry e : history.since(name, sinceId)) {
            out.add(new ChannelMessage(name, e.id(), JsonParser.parseString(e.dataJson())));
        }
        return out;
    }

    int subscriberCount(String name) {
        Channel c = channels.get(name);
        return c == null ? 0 : c.pages.size();
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("closing channel subscription", e);
        }
        channels.clear();
        history.close();
    }
}
