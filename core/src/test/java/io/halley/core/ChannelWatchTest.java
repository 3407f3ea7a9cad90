package io.halley.core;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonPrimitive;
import io.halley.core.internal.ChannelRegistry;
import io.halley.core.spi.Hub;
import io.halley.core.spi.HubMessage;
import io.halley.core.spi.InMemoryChannelHistory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The hub's watch hook ({@link Hub#watchChannel}, {@link Hub#unwatchChannel}): told once when a
 * channel gains its first reader on the node, before the history is read, and once after the last
 * one left; a failing watch fails the subscribe. And a live message past a hole in the ids waits
 * for the missing one: pages see a channel's messages in id order.
 */
class ChannelWatchTest {

    /** Records watch events; delivers what the test hands it, in the order it is handed. */
    static final class WatchingHub implements Hub {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Consumer<HubMessage>> channelReceivers = new CopyOnWriteArrayList<>();
        volatile RuntimeException failWatch;
        volatile InMemoryChannelHistory history; // to record what the watch saw in it

        @Override
        public AutoCloseable subscribe(String topic, Consumer<HubMessage> receiver) {
            if (ChannelRegistry.TOPIC.equals(topic)) channelReceivers.add(receiver);
            return () -> channelReceivers.remove(receiver);
        }

        @Override
        public void publish(String topic, HubMessage message) {
            // the test delivers by hand (deliver)
        }

        void deliver(String channel, long id, String data) {
            for (Consumer<HubMessage> r : channelReceivers) r.accept(new HubMessage.ChannelPost(channel, id, new JsonPrimitive(data)));
        }

        @Override
        public void watchChannel(String channel) {
            if (failWatch != null) throw failWatch;
            events.add("watch " + channel + " at " + (history == null ? "?" : history.lastId(channel)));
        }

        @Override
        public void unwatchChannel(String channel) {
            events.add("unwatch " + channel);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theFirstReaderWatchesBeforeReadingTheHistoryAndTheLastOneUnwatches() throws Exception {
        WatchingHub hub = new WatchingHub();
        InMemoryChannelHistory history = new InMemoryChannelHistory(100);
        hub.history = history;
        try (Halley h = TestSupport.quick().hub(hub).history(history).build().start()) {
            history.append("feed", "\"old\"");
            Page p1 = h.open("s1");
            p1.subscribe("feed", 0);
            Page p2 = h.open("s2");
            p2.subscribe("feed");
            AutoCloseable listener = h.listen("feed", m -> { });
            assertEquals(List.of("watch feed at 1"), hub.events, "one watch for three readers");
            assertEquals(1, TestSupport.commands(p1).size(), "the history after the watch: " + TestSupport.commands(p1));

            p1.unsubscribe("feed");
            p2.unsubscribe("feed");
            assertEquals(List.of("watch feed at 1"), hub.events, "a listener still reads it");
            listener.close();
            assertEquals(List.of("watch feed at 1", "unwatch feed"), hub.events);

            p1.subscribe("feed");
            assertEquals(List.of("watch feed at 1", "unwatch feed", "watch feed at 1"), hub.events, "back: watched again");
        }
    }

    @Test
    void aFailingWatchFailsTheSubscribeAndLeavesNoChannelBehind() {
        WatchingHub hub = new WatchingHub();
        try (Halley h = TestSupport.quick().hub(hub).build().start()) {
            Page p = h.open("s1");
            hub.failWatch = new IllegalStateException("backend unreachable");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.subscribe("feed"));
            assertEquals("backend unreachable", e.getMessage());
            assertEquals(0, h.subscribers("feed"));
            hub.failWatch = null;
            p.subscribe("feed");
            assertEquals(1, h.subscribers("feed"));
            assertEquals(1, hub.events.stream().filter(x -> x.startsWith("watch")).count(), hub.events.toString());
        }
    }

    @Test
    void aMessageTheHubLostBeforeAnyReachedThisNodeIsCaughtUpFromWhereTheWatchStarted() {
        ChannelCatchUpTest.LossyHub hub = new ChannelCatchUpTest.LossyHub();
        try (Halley h = TestSupport.quick().hub(hub).build().start()) {
            h.publish("feed", "before"); // id 1, before any reader here: not for a live-only page
            Page p = h.open("s1");
            p.subscribe("feed");         // live only; nothing has reached it yet
            hub.down = true;
            h.publish("feed", "lost");   // id 2: the hub loses it
            hub.back();                  // re-subscribed: catch up from where the watch started
            List<String> got = TestSupport.awaitCommands(p, 1).stream().map(c -> c.get("data").getAsString()).toList();
            assertEquals(List.of("lost"), got);
            h.publish("feed", "after");
            assertEquals(List.of(2L, 3L), TestSupport.awaitCommands(p, 2).stream().map(c -> c.get("id").getAsLong()).toList());
        }
    }

    @Test
    void aLiveMessagePastAHoleWaitsForTheMissingOneOrReadsItFromTheHistory() {
        WatchingHub hub = new WatchingHub();
        InMemoryChannelHistory history = new InMemoryChannelHistory(100);
        try (Halley h = TestSupport.quick().hub(hub).history(history).build().start()) {
            Page p = h.open("s1");
            p.subscribe("feed");
            for (int i = 1; i <= 5; i++) history.append("feed", "\"m" + i + "\"");
            hub.deliver("feed", 1, "m1");
            hub.deliver("feed", 3, "m3"); // 2 is still on its way: 3 waits
            hub.deliver("feed", 2, "m2"); // fills the hole: 2 then 3
            TestSupport.awaitCommands(p, 3);
            hub.deliver("feed", 5, "m5"); // 4 never comes live (the hub lost it): read from the history
            List<Long> ids = TestSupport.awaitCommands(p, 5).stream().map(c -> c.get("id").getAsLong()).toList();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids);
            assertEquals("m4", TestSupport.commands(p).get(3).get("data").getAsString());
        }
    }
}
