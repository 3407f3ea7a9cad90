package io.halley.core;

import static org.junit.jupiter.api.Assertions.*;

import io.halley.core.internal.ChannelRegistry;
import io.halley.core.spi.Hub;
import io.halley.core.spi.HubMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** With a hub that delivers late (as a distributed one does), catch-up never duplicates. */
class ChannelCatchUpTest {

    /** Holds every publish until {@link #release()}. */
    static final class LateHub implements Hub {
        final Map<String, List<Consumer<HubMessage>>> subs = new ConcurrentHashMap<>();
        final List<Object[]> held = new ArrayList<>();

        @Override
        public AutoCloseable subscribe(String topic, Consumer<HubMessage> receiver) {
            subs.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(receiver);
            return () -> subs.get(topic).remove(receiver);
        }

        @Override
        public synchronized void publish(String topic, HubMessage payload) {
            held.add(new Object[] {topic, payload});
        }

        synchronized void release() {
            for (Object[] h : held) {
                for (Consumer<HubMessage> r : subs.getOrDefault((String) h[0], List.of())) r.accept((HubMessage) h[1]);
            }
            held.clear();
        }

        @Override
        public void close() {
        }
    }

    /** Drops publishes while {@code down}; tells its listeners when it "re-subscribed". */
    static final class LossyHub implements Hub {
        final io.halley.core.spi.InMemoryHub inner = new io.halley.core.spi.InMemoryHub();
        final List<Consumer<String>> resubscribed = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public AutoCloseable subscribe(String topic, Consumer<HubMessage> receiver) {
            return inner.subscribe(topic, receiver);
        }

        @Override
        public void publish(String topic, HubMessage payload) {
            if (!down) inner.publish(topic, payload);
        }

        @Override
        public void onResubscribed(Consumer<String> listener) {
            resubscribed.add(listener);
        }

        void back() {
            down = false;
            for (Consumer<String> l : resubscribed) l.accept(ChannelRegistry.TOPIC);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aLivePageGetsWhatTheHubLostOnceItHasResubscribed() {
        LossyHub hub = new LossyHub();
        try (Halley h = Halley.builder().hub(hub).build().start()) {
            Page p = h.open("s1");
            p.subscribe("feed");
            h.publish("feed", "one");
            hub.down = true;          // the connection to the hub is lost
            h.publish("feed", "two");
            h.publish("feed", "three");
            hub.back();               // subscribed again: catch up from the history
            TestSupport.awaitCommands(p, 3);
            h.publish("feed", "four");
            List<Long> ids = TestSupport.awaitCommands(p, 4).stream().map(c -> c.get("id").getAsLong()).toList();
            assertEquals(List.of(1L, 2L, 3L, 4L), ids);
        }
    }

    @Test
    void messagesStillInFlightAreNotDeliveredTwiceAfterACatchUp() {
        LateHub hub = new LateHub();
        try (Halley h = Halley.builder().hub(hub).build().start()) {
            h.publish("feed", "one");
            h.publish("feed", "two"); // both in history, both still in flight through the hub
            Page p = h.open("s1");
            p.subscribe("feed", 0);   // catch-up delivers ids 1 and 2 at once
            hub.release();            // the in-flight copies arrive now
            h.publish("feed", "three");
            hub.release();
            List<Long> ids = TestSupport.awaitCommands(p, 3).stream().map(c -> c.get("id").getAsLong()).toList();
            assertEquals(List.of(1L, 2L, 3L), ids);
        }
    }

    @Test
    void aCoalescedFrameStraddlingAPagesCatchUpFloorDeliversOnlyTheNewerMessagesToIt() {
        LateHub hub = new LateHub();
        try (Halley h = Halley.builder().hub(hub).build().start()) {
            h.publish("feed", "one");
            h.publish("feed", "two");
            Page caughtUp = h.open("s1");
            caughtUp.subscribe("feed", 0); // ids 1 and 2 from the history: its floor is 2
            Page live = h.open("s2");
            live.subscribe("feed");        // no history: everything that arrives live
            h.publish("feed", "three");
            hub.release();                 // 1, 2 and 3 arrive together and share one round
            List<Long> caught = TestSupport.awaitCommands(caughtUp, 3).stream().map(c -> c.get("id").getAsLong()).toList();
            List<Long> lived = TestSupport.awaitCommands(live, 3).stream().map(c -> c.get("id").getAsLong()).toList();
            h.publish("feed", "four");
            hub.release();
            TestSupport.awaitCommands(caughtUp, 4);
            assertEquals(List.of(1L, 2L, 3L, 4L), TestSupport.commands(caughtUp).stream().map(c -> c.get("id").getAsLong()).toList(),
                    "history then only what was above its floor: " + caught);
            assertEquals(List.of(1L, 2L, 3L), lived);
        }
    }
}
