package io.halley.core.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.halley.core.ChannelListener;
import io.halley.core.ChannelMessage;
import io.halley.core.HalleyException;
import io.halley.core.Names;
import io.halley.core.Page;
import io.halley.core.spi.ChannelHistory;
import io.halley.core.spi.Hub;
import io.halley.core.spi.HubMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channels (Jii): a publish records the message in the {@link ChannelHistory} (which assigns its
 * id) and sends it through the {@link Hub}; each node receiving it hands it to the local
 * {@link Channel}, which fans it out on the {@link FanOutThreads}: its {@code message} command is
 * encoded once and the shared bytes are appended to every locally subscribed page's outbox, and
 * the server-side listeners are called. {@link #publish} returns once the message is in the
 * history and on the hub; local delivery follows on the fan-out threads, in one order per channel.
 *
 * <p><b>Watching.</b> A channel's first reader on this node tells the hub
 * ({@link Hub#watchChannel}, which may wait for the hub's backend) before it reads the history; a
 * channel retired for having no reader left tells it {@link Hub#unwatchChannel}. A watch that
 * fails (the backend is unreachable) fails the subscribe or listen that asked for it.
 *
 * <p><b>Catch-up after a re-subscribe</b> runs on the runtime's scheduler; a channel whose history
 * cannot be read then (the backend is still coming back) is tried again with a backoff (100 ms
 * doubling to 5 s) until it is read or the channel is retired, so a message published during the
 * outage is never left out.
 */
public final class ChannelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelRegistry.class);
    public static final String TOPIC = "halley.channels";
    /** Messages waiting for one channel's fan-out at most; past it a publisher waits (backpressure). */
    public static final int MAX_PENDING = Channel.MAX_PENDING;

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Hub hub;
    private final ChannelHistory history;
    private final int maxMessageChars;
    private final AutoCloseable subscription;
    private final FanOutThreads fanOut;
    private final java.util.concurrent.ScheduledExecutorService catchUpThread;
    private volatile boolean closed;
    static final long CATCH_UP_MIN_DELAY_MS = 100;
    static final long CATCH_UP_MAX_DELAY_MS = 5000;

    public ChannelRegistry(Hub hub, ChannelHistory history, int maxMessageChars,
                    java.util.concurrent.ScheduledExecutorService catchUpThread, FanOutThreads fanOut) {
        this.hub = hub;
        this.history = history;
        this.fanOut = fanOut;
        this.catchUpThread = catchUpThread;
        hub.onResubscribed(topic -> {
            if (TOPIC.equals(topic)) runLater(this::catchUp, 0);
        });
        this.maxMessageChars = maxMessageChars;
        this.subscription = hub.subscribe(TOPIC, this::onHub);
    }

    public void publish(String channel, Object data) {
        Names.requireChannel(channel);
        JsonElement json = Json.toTree(data);
        String encoded = checkedSize(json);
        awaitRoom(channel);
        long id = history.append(channel, encoded);
        hub.publish(TOPIC, new HubMessage.ChannelPost(channel, id, json));
    }

    public void publishAll(String channel, List<?> messages) {
        Names.requireChannel(channel);
        if (messages.isEmpty()) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "no messages to publish");
        List<JsonElement> trees = new ArrayList<>(messages.size());
        List<String> encoded = new ArrayList<>(messages.size());
        for (Object m : messages) { // all checked before any is published
            JsonElement json = Json.toTree(m);
            trees.add(json);
            encoded.add(checkedSize(json));
        }
        awaitRoom(channel);
        List<HubMessage.ChannelPost> posts = new ArrayList<>(messages.size());
        long[] ids = history.appendAll(channel, encoded); // one round trip on a shared history
        if (ids.length != trees.size()) throw new IllegalStateException("the history returned " + ids.length + " ids for " + trees.size() + " messages");
        for (int i = 0; i < trees.size(); i++) posts.add(new HubMessage.ChannelPost(channel, ids[i], trees.get(i)));
        hub.publish(TOPIC, new HubMessage.ChannelBatch(channel, posts));
    }

    /** A publisher on this node waits while the channel's fan-out here is backed up (the hub's thread never does). */
    private void awaitRoom(String channel) {
        Channel c = channels.get(channel);
        if (c != null) c.awaitRoomToPublish();
    }

    /** {@code json} as text, or TOO_LARGE past {@code maxMessageBytes}. */
    private String checkedSize(JsonElement json) {
        String encoded = json.toString();
        if (encoded.length() > maxMessageChars) {
            throw new HalleyException(HalleyException.Kind.TOO_LARGE, "channel message of " + encoded.length()
                    + " chars exceeds maxMessageBytes " + maxMessageChars);
        }
        return encoded;
    }

    private void onHub(HubMessage payload) {
        if (payload instanceof HubMessage.ChannelPost p) {
            Channel c = channels.get(p.channel());
            if (c != null) c.offer(p.id(), p.data()); // no reader on this node: the history has it
        } else if (payload instanceof HubMessage.ChannelBatch b) {
            Channel c = channels.get(b.channel());
            if (c != null) c.offerAll(b.posts());
        }
    }

    /**
     * The live channel {@code name}, created if needed, held by its monitor while {@code action}
     * runs. Channels with no page and no listener leave the map (any name a client sends would
     * otherwise stay for ever), so a channel found retired is looked up again.
     */
    private Channel withChannel(String name, java.util.function.Consumer<Channel> action) {
        while (true) {
            Channel c = channels.computeIfAbsent(name, n -> new Channel(n, fanOut, this::history, history::lastId, catchUpThread));
            try {
                c.awaitWatched(hub); // the first reader subscribes on the hub; the others wait for it
            } catch (RuntimeException e) {
                retireIfIdle(c);
                throw e;
            }
            synchronized (c) {
                if (c.retired) continue;
                action.accept(c);
                return c;
            }
        }
    }

    private void retireIfIdle(Channel c) {
        synchronized (c) {
            if (c.retired || !c.pages.isEmpty() || !c.listeners.isEmpty()) return;
            c.retired = true;
            channels.remove(c.name, c);
        }
        c.unwatchIfWatched(hub); // outside the monitor: it may wait for a watch still under way
    }

    public void subscribe(Page page, String name, long sinceId) {
        withChannel(name, c -> c.addPage(page, sinceId));
    }

    public void unsubscribe(Page page, String name) {
        Channel c = channels.get(name);
        if (c == null) return;
        c.removePage(page);
        retireIfIdle(c);
    }

    public AutoCloseable listen(String name, ChannelListener listener) {
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
    public void catchUp() {
        catchUp(List.copyOf(channels.values()), CATCH_UP_MIN_DELAY_MS);
    }

    /** Catches {@code todo} up; those that fail are tried again after {@code delay} ms (doubling). */
    private void catchUp(List<Channel> todo, long delay) {
        List<Channel> failed = new ArrayList<>();
        for (Channel c : todo) {
            if (c.retired) continue;
            try {
                c.catchUp();
            } catch (RuntimeException e) {
                if (delay == CATCH_UP_MIN_DELAY_MS) {
                    LOG.warn("catching up channel {} after a hub reconnect failed ({}); trying again", c.name, e.toString());
                } else {
                    LOG.debug("catching up channel {} failed again", c.name, e);
                }
                failed.add(c);
            }
        }
        if (!failed.isEmpty()) runLater(() -> catchUp(failed, Math.min(CATCH_UP_MAX_DELAY_MS, delay * 2)), delay);
    }

    private void runLater(Runnable r, long delayMs) {
        if (closed) return;
        try {
            catchUpThread.schedule(r, delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("catch-up not scheduled: the runtime is stopping");
        }
    }

    /** Channels with a reader on this node. */
    public int channelCount() {
        return channels.size();
    }

    /**
     * The newest id of {@code name}'s numbering: the history's, or a newer one this node already
     * delivered (0 when there is none). Blocks on a shared history as {@link #history} does.
     */
    public long newestId(String name) {
        Channel c = channels.get(name);
        long seen = 0;
        if (c != null) {
            synchronized (c) {
                seen = c.highest;
            }
        }
        return Math.max(seen, history.lastId(name));
    }

    public List<ChannelMessage> history(String name, long sinceId) {
        List<ChannelMessage> out = new ArrayList<>();
        for (ChannelHistory.Entry e : history.since(name, sinceId)) {
            out.add(new ChannelMessage(name, e.id(), JsonParser.parseString(e.dataJson())));
        }
        return out;
    }

    /** Messages of {@code name} waiting for the fan-out on this node. */
    public int pendingCount(String name) {
        Channel c = channels.get(name);
        return c == null ? 0 : c.pendingCount();
    }

    public int subscriberCount(String name) {
        Channel c = channels.get(name);
        return c == null ? 0 : c.pages.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("closing channel subscription", e);
        }
        fanOut.close();
        channels.clear();
        history.close();
    }
}
