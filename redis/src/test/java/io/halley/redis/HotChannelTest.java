package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A channel flooded from node A faster than node B fans it out (a listener on B takes 1 ms per
 * message) backs up on B past the fan-out's bound; meanwhile another channel's messages published
 * on A every 20 ms reach B within 100 ms each: B's Redis thread never waits for the hot channel.
 * Past the bound the hot channel's waiting messages are dropped and its pages get {@code resync}.
 */
@Timeout(90)
class HotChannelTest extends ClusterTestSupport {

    @Test
    void aFloodedChannelDoesNotDelayAnotherChannelsMessagesByMoreThan100Ms() throws Exception {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = closeLater(Halley.builder().nodeId("b").fanOutThreads(2).pageLease(Duration.ofMinutes(5))
                .hub(new RedisHub(s)).history(new RedisChannelHistory(s)).queue(new RedisQueue(s)).build().start());
        AtomicLong hotHeard = new AtomicLong();
        closeLater(b.listen("hot", m -> {
            hotHeard.incrementAndGet();
            Await.pause(1);
        }));
        Page hotPage = b.open("hot-reader");
        hotPage.subscribe("hot");
        Map<Integer, Long> coldLatencyMillis = new ConcurrentHashMap<>();
        closeLater(b.listen("cold", m -> {
            long sentAt = m.data().getAsJsonObject().get("at").getAsLong();
            coldLatencyMillis.put(m.data().getAsJsonObject().get("n").getAsInt(), (System.nanoTime() - sentAt) / 1_000_000);
        }));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong hotSent = new AtomicLong();
        Thread flood = new Thread(() -> {
            List<Integer> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) batch.add(i);
            while (!stop.get()) {
                try {
                    a.publishAll("hot", batch);
                    hotSent.addAndGet(batch.size());
                } catch (RuntimeException e) {
                    if (!stop.get()) throw e;
                }
            }
        }, "test-flood");
        flood.start();
        List<Long> latencies = new ArrayList<>();
        try {
            Await.until("the hot channel backs up on b past the fan-out's bound", Duration.ofSeconds(40),
                    () -> hotSent.get() - hotHeard.get() >= 12_000);
            for (int n = 0; n < 50; n++) {
                a.publish("cold", Map.of("n", n, "at", System.nanoTime()));
                Await.pause(20);
            }
            Await.until("every cold message reached b", Duration.ofSeconds(10), () -> coldLatencyMillis.size() == 50);
            for (int n = 0; n < 50; n++) latencies.add(coldLatencyMillis.get(n));
        } finally {
            stop.set(true);
            flood.join(10_000);
        }
        long max = latencies.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.err.println("hot channel: " + hotSent.get() + " sent, " + hotHeard.get() + " heard on b, resync frames on b's page: "
                + commands(hotPage).stream().filter(c -> "resync".equals(c.get("op").getAsString())).count()
                + "; cold latencies (ms) " + latencies);
        assertTrue(max <= 100, "a cold message took " + max + " ms while the hot channel was backed up: " + latencies);
    }
}
