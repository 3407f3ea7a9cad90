package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.spi.ChannelHistory.Entry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RedisChannelHistory} on its own: atomic ids, capping, and ids that survive a data loss. */
@Timeout(60)
class RedisChannelHistoryTest extends ClusterTestSupport {

    @Test
    void concurrentAppendsFromTwoNodesGetDistinctIdsAndTheHistoryAgrees() throws Exception {
        RedisSettings s = settings().historySize(1000).build();
        RedisChannelHistory h1 = closeLater(new RedisChannelHistory(s));
        RedisChannelHistory h2 = closeLater(new RedisChannelHistory(s));
        List<Long> ids = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (RedisChannelHistory h : List.of(h1, h2)) {
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(() -> { for (int i = 0; i < 100; i++) ids.add(h.append("c", "\"x\"")); });
                threads.add(th);
                th.start();
            }
        }
        for (Thread t : threads) t.join(30_000);
        assertEquals(400, ids.size());
        assertNoDuplicates(ids, "ids");
        assertEquals(400L, Collections.max(ids));
        List<Long> stored = h2.since("c", 0).stream().map(Entry::id).collect(Collectors.toList());
        List<Long> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        assertEquals(sorted, stored, "every id is in the history, oldest first");
    }

    @Test
    void aBatchTakesConsecutiveIdsInOneGoEvenBesideAnotherNodesSingleAppendsAndPastOneChunk() throws Exception {
        RedisSettings s = settings().historySize(2000).build();
        RedisChannelHistory h1 = closeLater(new RedisChannelHistory(s));
        RedisChannelHistory h2 = closeLater(new RedisChannelHistory(s));
        List<Long> singles = Collections.synchronizedList(new ArrayList<>());
        Thread other = new Thread(() -> { for (int i = 0; i < 300; i++) singles.add(h2.append("b", "\"single\"")); });
        other.start();
        List<long[]> batches = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) batch.add("{\"b\":" + b + ",\"i\":" + i + "}");
            batches.add(h1.appendAll("b", batch));
        }
        other.join(30_000);
        List<Long> all = new ArrayList<>(singles);
        for (long[] ids : batches) {
            for (int i = 1; i < ids.length; i++) assertEquals(ids[i - 1] + 1, ids[i], "a batch's ids are consecutive");
            for (long id : ids) all.add(id);
        }
        assertNoDuplicates(all, "ids");
        assertEquals(1300L, Collections.max(all));
        List<Entry> stored = h2.since("b", 0);
        assertEquals(1300, stored.size(), "every message is in the history");
        for (int b = 0; b < batches.size(); b++) {
            long first = batches.get(b)[0];
            Entry e = stored.stream().filter(x -> x.id() == first + 7).findFirst().orElseThrow();
            assertEquals("{\"b\":" + b + ",\"i\":7}", e.dataJson(), "each entry under its own id");
        }

        List<String> big = new ArrayList<>();
        for (int i = 0; i < RedisChannelHistory.APPEND_CHUNK * 2 + 5; i++) big.add(Integer.toString(i));
        RedisChannelHistory capped = closeLater(new RedisChannelHistory(settings().keyPrefix("big:").historySize(3).build()));
        long[] ids = capped.appendAll("c", big);
        assertEquals(big.size(), ids.length);
        assertEquals(1, ids[0]);
        assertEquals(big.size(), ids[ids.length - 1], "consecutive across chunks");
        assertEquals(List.of(new Entry(big.size() - 2, Integer.toString(big.size() - 3)), new Entry(big.size() - 1,
                Integer.toString(big.size() - 2)), new Entry(big.size(), Integer.toString(big.size() - 1))),
                capped.since("c", 0), "capped to the newest 3");
    }

    @Test
    void historyIsCappedAndSinceReturnsOnlyNewerEntriesWithTheirJson() {
        RedisChannelHistory h = closeLater(new RedisChannelHistory(settings().historySize(3).build()));
        for (int i = 1; i <= 6; i++) h.append("c", "{\"n\":" + i + ",\"t\":\"a:b\"}");
        assertEquals(List.of(new Entry(5, "{\"n\":5,\"t\":\"a:b\"}"), new Entry(6, "{\"n\":6,\"t\":\"a:b\"}")), h.since("c", 4));
        assertEquals(List.of(4L, 5L, 6L), h.since("c", 0).stream().map(Entry::id).collect(Collectors.toList()));
        assertEquals(List.of(), h.since("c", 6));
        assertEquals(List.of(), h.since("unknown", 0));

        RedisChannelHistory idsOnly = closeLater(new RedisChannelHistory(settings().keyPrefix("other:").historySize(0).build()));
        assertEquals(1, idsOnly.append("c", "1"));
        assertEquals(2, idsOnly.append("c", "2"));
        assertEquals(List.of(), idsOnly.since("c", 0), "historySize 0 keeps ids only");
    }

    @Test
    void idsKeepIncreasingWhenRedisLosesItsData() {
        RedisSettings s = settings().build();
        RedisChannelHistory h1 = closeLater(new RedisChannelHistory(s));
        RedisChannelHistory h2 = closeLater(new RedisChannelHistory(s));
        for (int i = 0; i < 5; i++) h1.append("news", "1");
        assertEquals(1, h1.append("other", "1"));
        flushAll(s); // everything gone, scripts too: like a restart without persistence

        long afterLoss = h2.append("news", "\"after\""); // h2 never appended before, but knew the epoch
        assertTrue(afterLoss > 5, "id went forward, not back to 1: " + afterLoss);
        assertTrue(afterLoss < (1L << 53), "still exact in JavaScript: " + afterLoss);
        assertEquals(afterLoss + 1, h1.append("news", "\"next\""));
        assertTrue(h1.append("other", "1") > afterLoss - 1_000_000, "every channel starts above the floor");
        assertEquals(List.of(afterLoss, afterLoss + 1), h2.since("news", 5).stream().map(Entry::id).collect(Collectors.toList()),
                "a client that saw id 5 before the loss catches up with what came after");
    }

    private static void flushAll(RedisSettings s) {
        RedisClient client = RedisClient.create(s.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushall();
            c.sync().scriptFlush();
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
