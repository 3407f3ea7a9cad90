package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.core.command.Command;
import io.halley.core.spi.HubHealth;
import io.halley.testing.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis hub's health follows the real redis-server (down when it is killed, up when it is back,
 * each answer within about a second), names no address, and the hub's meters count the publish
 * that failed during the outage and the reconnect after it.
 */
@Timeout(60)
class RedisHubHealthTest extends ClusterTestSupport {

    @Test
    void healthIsDownWhileRedisIsStoppedAndUpWhenItIsBackAndTheOutageIsCounted() throws Exception {
        Halley a = node("a", settings().commandTimeout(Duration.ofSeconds(1)).build());
        Halley b = closeLater(Halley.builder().nodeId("b").hub(new RedisHub(settings().commandTimeout(Duration.ofSeconds(1)).build()))
                .build().start()); // its channel history in memory
        HubHealth up = a.hubHealth();
        assertTrue(up.up(), up.toString());
        assertEquals("Redis reachable", up.detail());

        redis.kill();
        Await.until("health down", Duration.ofSeconds(10), () -> !a.hubHealth().up());
        long t0 = System.nanoTime();
        HubHealth down = a.hubHealth();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(down.up());
        assertTrue(tookMs < 2000, "a health check is bounded: " + tookMs + " ms");
        assertTrue(down.detail().startsWith("Redis unreachable"), down.detail());
        assertFalse(down.detail().contains(Integer.toString(redis.port())), "no address in " + down.detail());
        assertFalse(down.detail().contains("127.0.0.1") || down.detail().contains("localhost"), down.detail());

        // a channel message goes over plain pub/sub (its history, in memory on this node, took it):
        // it fails after the command timeout and is counted; a page command is recorded, kept and
        // sent again once Redis is back, so it is no failure
        Await.until("b's hub noticed the outage", Duration.ofSeconds(10), () -> !b.hubHealth().up());
        a.deliver("no-such-page-on-this-node", List.of(new Command.Text("#x", "kept")));  // recorded: retried
        b.publish("news", "lost");
        Await.until("the held publish failed after the command timeout", Duration.ofSeconds(10),
                () -> b.metrics().meter("halley.hub.publish.failures").value() == 1);

        redis.start();
        Await.until("health up again", Duration.ofSeconds(20), () -> a.hubHealth().up());
        Await.until("one reconnect", Duration.ofSeconds(10), () -> a.metrics().meter("halley.hub.reconnects").value() == 1);
        assertEquals(0, a.metrics().meter("halley.hub.publish.failures").value(), "the page command was kept and sent again");
        assertEquals(1, b.metrics().meter("halley.hub.publish.failures").value());
    }

    @Test
    void aClosedHubIsDown() {
        RedisHub hub = new RedisHub(settings().build());
        assertTrue(hub.health().up());
        hub.close();
        assertEquals(new HubHealth(false, "hub closed"), hub.health());
    }
}
