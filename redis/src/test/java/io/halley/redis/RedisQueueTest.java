package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.spi.QueuedAction;
import io.halley.testing.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RedisQueue} on its own, through the SPI. */
@Timeout(60)
class RedisQueueTest extends ClusterTestSupport {

    @Test
    void actionsOfferedBeforeAnyoneConsumesAreHandedOutOnceAndDeletedWhenDone() {
        RedisSettings s = settings().build();
        RedisQueue producer = closeLater(new RedisQueue(s));
        for (int i = 0; i < 10; i++) producer.offer(new QueuedAction("id" + i, "route", "[" + i + "]", null, "r" + i));
        RedisQueue consumer = closeLater(new RedisQueue(s));
        List<QueuedAction> got = new CopyOnWriteArrayList<>();
        consumer.consume((a, done) -> {
            got.add(a);
            done.run();
        });
        Await.until("10 actions taken", () -> got.size() == 10);
        assertEquals(new QueuedAction("id3", "route", "[3]", null, "r3"), got.get(3), "the action survives the trip");
        assertEquals(0, streamLength(s), "done actions are deleted");
        Await.pause(1500); // longer than the visibility timeout: nothing comes back
        assertEquals(10, got.size());
        assertThrows(IllegalStateException.class, () -> consumer.consume((a, d) -> { }), "consume twice");
    }

    @Test
    void aWorkerThatKeepsRefusingGetsTheActionAgainUntilMaxDeliveriesThenItIsDropped() {
        RedisSettings s = settings().visibilityTimeout(Duration.ofMillis(300)).maxDeliveries(3).build();
        RedisQueue q = closeLater(new RedisQueue(s));
        AtomicInteger attempts = new AtomicInteger();
        q.consume((a, done) -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("busy");
        });
        q.offer(new QueuedAction("poison", "route", "null", null, null));
        Await.until("dropped after 3 deliveries", () -> attempts.get() == 3 && streamLength(s) == 0);
        Await.pause(800);
        assertEquals(3, attempts.get(), "no fourth delivery");
    }

    @Test
    void closeStopsTheConsumerThreadPromptlyAndLaterOffersFail() {
        RedisQueue q = new RedisQueue(settings().build());
        q.consume((a, done) -> done.run());
        Await.until("consumer thread running", () -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("halley-redis-queue")));
        long t0 = System.nanoTime();
        q.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 3000, "close took " + ms + " ms");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("halley-redis-queue") && t.isAlive()));
        assertThrows(IllegalStateException.class, () -> q.offer(new QueuedAction("x", "r", "null", null, null)));
        q.close(); // idempotent
    }

    @Test
    void offerFailsLoudlyWhenRedisIsGone() {
        RedisQueue q = closeLater(new RedisQueue(settings().commandTimeout(Duration.ofMillis(500)).build()));
        redis.kill();
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                () -> q.offer(new QueuedAction("x", "r", "null", null, null)));
        assertTrue(e.getMessage().contains("127.0.0.1:" + redis.port()), e.getMessage());
    }

    private static long streamLength(RedisSettings s) {
        RedisClient client = RedisClient.create(s.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().xlen(s.keyPrefix() + "queue");
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
