package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.command.Command;
import io.halley.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A master of a 3-master Redis Cluster restarts (keeping its data) under live traffic: two
 * channels in different slots of that master, one channel on another master and commands for a
 * page on another node flow all along. Publishes to the restarting master fail while it is down
 * and the publisher sends them again; once it is back, the node subscribes again to each of its
 * channels there (one by one: Lettuce's single re-SSUBSCRIBE of both would be refused CROSSSLOT),
 * catches up from the history, retrying while the master still refuses, and every message
 * published arrives once, in order; the other master's channel never stops.
 */
@Timeout(120)
class ClusterMasterRestartTest extends RedisClusterTestSupport {

    @Test
    void aMasterRestartUnderTrafficLosesNothing() throws Exception {
        RedisSettings s = settings().build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        String first = channelOn(0, "live");
        String second = channelOn(0, "live", first); // same master, another slot
        String other = channelOn(1, "live");
        List<String> channels = List.of(first, second, other);
        Page reader = b.open("reader");
        for (String ch : channels) reader.subscribe(ch);
        Page target = b.open("target");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger rounds = new AtomicInteger(); // of first, second and a page command
        AtomicInteger otherRounds = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger otherDuringOutage = new AtomicInteger();
        AtomicBoolean down = new AtomicBoolean();
        Thread publisher = new Thread(() -> {
            for (int n = 0; !stop.get(); n++) {
                for (String ch : List.of(first, second)) publishUntilTaken(a, ch, n, stop, failures);
                a.deliver(target.id(), List.of(new Command.Text("#n", Integer.toString(n))));
                rounds.set(n + 1);
                Await.pause(20);
            }
        }, "test-cluster-publisher");
        Thread otherPublisher = new Thread(() -> {
            for (int n = 0; !stop.get(); n++) {
                publishUntilTaken(a, other, n, stop, failures);
                if (down.get()) otherDuringOutage.incrementAndGet();
                otherRounds.set(n + 1);
                Await.pause(20);
            }
        }, "test-cluster-publisher-other");
        publisher.start();
        otherPublisher.start();
        try {
            Await.until("traffic flows", Duration.ofSeconds(20), () -> messages(reader, first).size() > 10);
            down.set(true);
            cluster.restartMaster(0, Duration.ofSeconds(3));
            down.set(false);
            int after = rounds.get();
            Await.until("traffic flows again on the restarted master", Duration.ofSeconds(30),
                    () -> messages(reader, first).size() > after + 10 && messages(reader, second).size() > after + 10);
        } finally {
            stop.set(true);
            publisher.join(10_000);
            otherPublisher.join(10_000);
        }
        int total = rounds.get();
        for (String ch : channels) {
            int sent = ch.equals(other) ? otherRounds.get() : total;
            Await.until("all " + sent + " of " + ch, Duration.ofSeconds(30), () -> messages(reader, ch).size() >= sent);
            List<Integer> got = messages(reader, ch).stream().map(m -> m.getAsJsonObject("data").get("n").getAsInt())
                    .collect(Collectors.toList());
            assertEquals(ShardedChannelsOnClusterTest.numbers(sent), got, ch + ": every message once, in order");
            ClusterChecks.assertIncreasing(ClusterTestSupport.ids(messages(reader, ch)), ch);
        }
        Await.until("all " + total + " page commands", Duration.ofSeconds(30), () -> ClusterTestSupport.texts(target, "#n").size() >= total);
        List<String> cmds = ClusterTestSupport.texts(target, "#n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) expected.add(Integer.toString(i));
        assertEquals(expected, cmds, "page commands once, in order");
        assertEquals(0, ClusterTestSupport.commands(target).stream().filter(c -> "resync".equals(c.get("op").getAsString())).count(),
                "no resync: nothing was lost");
        assertTrue(b.metrics().hub().reconnects() > 0, "the hub's reconnect meter counted the master coming back");
        assertTrue(failures.get() > 0, "publishes to the restarting master failed while it was down (else the restart proved nothing)");
        assertTrue(otherDuringOutage.get() > 20, "the other master's channel kept going during the outage: " + otherDuringOutage.get());
        System.err.println("cluster master restart: " + total + " rounds, " + failures.get() + " failed publishes retried, "
                + otherDuringOutage.get() + " messages on the other master during the outage");
    }

    /** Publishes until the cluster takes it: a publish to a master that is down fails after the command timeout. */
    private static void publishUntilTaken(Halley h, String ch, int n, AtomicBoolean stop, AtomicInteger failures) {
        while (!stop.get()) {
            try {
                h.publish(ch, Map.of("n", n));
                return;
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                Await.pause(100);
            }
        }
    }

    private static List<JsonObject> messages(Page p, String ch) {
        return ClusterTestSupport.messages(p, ch);
    }
}
