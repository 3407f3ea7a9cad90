package io.halley.core;

import static org.junit.jupiter.api.Assertions.*;

import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1,000 comet functions in one GLOBAL pool each send and receive: every member gets every message
 * exactly once and in send order per sender; after close() no Halley thread is left. Runs on
 * platform threads on Java 17 and virtual threads on Java 21+ (CI runs it on both).
 */
class GlobalPoolConcurrencyTest {
    private static final int MEMBERS = 1000;
    private static final int MESSAGES_EACH = 5;

    record Msg(String sender, int n) {
    }

    @Test
    @Timeout(120)
    void everyMemberGetsEveryMessageOnceInSendOrderPerSender() throws Exception {
        Halley halley = Halley.builder().pageLease(Duration.ofMinutes(5)).maxPagesPerSession(MEMBERS).build().start();
        CountDownLatch allJoined = new CountDownLatch(MEMBERS);
        CountDownLatch goSignal = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(MEMBERS);
        Map<String, String> failures = new ConcurrentHashMap<>();
        Map<String, Integer> received = new ConcurrentHashMap<>();
        List<Page> pages = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                Page p = halley.open("s" + (i % 10));
                pages.add(p);
                p.cometGlobal(c -> {
                    allJoined.countDown();
                    if (!goSignal.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("no go signal");
                    String me = c.member().id();
                    for (int n = 0; n < MESSAGES_EACH; n++) c.send(new Msg(me, n));
                    Map<String, Integer> lastBySender = new java.util.HashMap<>();
                    int got = 0;
                    while (got < MEMBERS * MESSAGES_EACH) {
                        Object m = c.receive(Duration.ofSeconds(60));
                        if (m == null) {
                            failures.put(me, "timed out after " + got + " messages");
                            break;
                        }
                        if (m instanceof PoolMessage) continue;
                        Msg msg = (Msg) m;
                        int prev = lastBySender.getOrDefault(msg.sender(), -1);
                        if (msg.n() != prev + 1) {
                            failures.put(me, "from " + msg.sender() + " got " + msg.n() + " after " + prev);
                        }
                        lastBySender.put(msg.sender(), msg.n());
                        got++;
                    }
                    if (lastBySender.size() != MEMBERS) failures.put(me, "heard " + lastBySender.size() + " senders");
                    received.put(me, got);
                    done.countDown();
                    c.receive(); // stay a member until the page dies, so nobody misses a message
                }, "everyone");
            }
            assertTrue(allJoined.await(60, TimeUnit.SECONDS), "all functions started");
            assertEquals(MEMBERS, halley.poolMembers(Scope.GLOBAL, null, "everyone"));
            goSignal.countDown();
            assertTrue(done.await(90, TimeUnit.SECONDS), "all functions received everything");
            assertEquals(Map.of(), failures);
            assertEquals(MEMBERS, received.size());
            received.values().forEach(n -> assertEquals(MEMBERS * MESSAGES_EACH, n));
        } finally {
            halley.close();
        }
        assertEquals(0, halley.pageCount());
        TestSupport.await("no halley threads left", Duration.ofSeconds(10), () -> TestSupport.halleyThreads().isEmpty());
        for (Page p : pages) assertFalse(p.isAlive());
    }
}
