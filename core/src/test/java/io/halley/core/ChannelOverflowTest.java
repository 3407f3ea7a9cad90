package io.halley.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.internal.ChannelRegistry;
import io.halley.core.spi.Hub;
import io.halley.core.spi.HubMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages published on another node arrive on the hub's own thread, which never waits for a
 * channel's fan-out: with the fan-out of node B stuck, more than twice {@code MAX_PENDING} of one
 * channel's messages published on node A do not block B's hub thread (another channel still gets
 * through), the waiting ones are dropped, and B's page gets {@code resync} before the messages
 * after them.
 */
@Timeout(60)
class ChannelOverflowTest {

    /** Two nodes' hubs on one bus whose single thread delivers every message, like a Redis subscriber. */
    static final class Bus {
        final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-bus"));
        final Map<String, List<Consumer<HubMessage>>> receivers = new ConcurrentHashMap<>();

        Hub hub() {
            return new Hub() {
                @Override
                public AutoCloseable subscribe(String topic, Consumer<HubMessage> receiver) {
                    receivers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(receiver);
                    return () -> receivers.get(topic).remove(receiver);
                }

                @Override
                public void publish(String topic, HubMessage message) {
                    thread.execute(() -> receivers.getOrDefault(topic, List.of()).forEach(r -> r.accept(message)));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void aStuckFanOutNeverBlocksTheHubThreadAndItsPagesGetResyncPastTheBound() throws Exception {
        Bus bus = new Bus();
        Halley a = Halley.builder().nodeId("a").hub(bus.hub()).build().start();
        Halley b = Halley.builder().nodeId("b").hub(bus.hub()).build().start();
        try {
            CountDownLatch stuck = new CountDownLatch(1);
            AutoCloseable l = b.listen("hot", m -> {
                try {
                    stuck.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Page hot = b.open("s1");
            hot.subscribe("hot");
            Page cold = b.open("s2");
            cold.subscribe("cold");
            int flood = 2 * ChannelRegistry.MAX_PENDING + 500;
            for (int i = 0; i < flood; i++) a.publish("hot", i); // no reader of "hot" on a: a never waits
            a.publish("cold", "still here");
            TestSupport.awaitCommands(cold, 1); // b's hub thread got past every "hot" message
            stuck.countDown();
            a.publish("hot", "after");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<JsonObject> got;
            do {
                got = TestSupport.commands(hot);
                if (!got.isEmpty() && got.get(got.size() - 1).has("data")
                        && "after".equals(got.get(got.size() - 1).get("data").getAsString())) break;
                Thread.sleep(20);
            } while (System.nanoTime() < deadline);
            long resyncs = got.stream().filter(c -> "resync".equals(c.get("op").getAsString())).count();
            assertEquals(1, resyncs, "one resync for the dropped messages");
            assertTrue(got.size() < flood, "the waiting messages were dropped, not delivered: " + got.size());
            assertEquals("after", got.get(got.size() - 1).get("data").getAsString(), "delivery goes on after the resync");
            l.close();
        } finally {
            a.close();
            b.close();
            bus.thread.shutdownNow();
        }
    }
}
