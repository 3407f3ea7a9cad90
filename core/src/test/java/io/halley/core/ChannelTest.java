package io.halley.core;

import static io.halley.core.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import io.halley.core.internal.ChannelRegistry;
import io.halley.core.transport.Frame;
import io.halley.core.transport.PageStreams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChannelTest {
    private Halley halley;

    @BeforeEach
    void start() {
        halley = TestSupport.quick().channelHistory(3).maxChannelsPerPage(2).maxMessageBytes(100).build().start();
    }

    @AfterEach
    void close() {
        halley.close();
    }

    @Test
    void publishReachesEverySubscribedPageAsAMessageCommand() {
        Page a = halley.open("s1");
        Page b = halley.open("s2");
        Page notSubscribed = halley.open("s3");
        a.subscribe("news");
        b.subscribe("news");
        halley.publish("news", Map.of("title", "hello"));
        for (Page p : List.of(a, b)) {
            JsonObject m = TestSupport.awaitCommands(p, 1).get(0);
            assertEquals("message", m.get("op").getAsString());
            assertEquals("news", m.get("channel").getAsString());
            assertEquals(1, m.get("id").getAsLong());
            assertEquals("hello", m.getAsJsonObject("data").get("title").getAsString());
        }
        assertEquals(0, PageStreams.frames(notSubscribed).lastSeq());
    }

    /** Rounds reuse their snapshot of the subscribers while none came or went: a change between two publishes is seen by the next. */
    @Test
    void aPageThatSubscribesOrLeavesBetweenPublishesGetsExactlyTheMessagesOfItsTime() throws Exception {
        Page stays = halley.open("s1");
        Page leaves = halley.open("s2");
        Page comes = halley.open("s3");
        stays.subscribe("news");
        leaves.subscribe("news");
        halley.publish("news", 1);
        await("first delivered", () -> PageStreams.frames(stays).lastSeq() == 1 && PageStreams.frames(leaves).lastSeq() == 1);
        halley.publish("news", 2); // a round with the same subscribers: its snapshot is reused
        await("second delivered", () -> PageStreams.frames(stays).lastSeq() == 2 && PageStreams.frames(leaves).lastSeq() == 2);
        leaves.unsubscribe("news");
        comes.subscribe("news");
        halley.publish("news", 3);
        await("third delivered", () -> PageStreams.frames(stays).lastSeq() == 3 && PageStreams.frames(comes).lastSeq() == 1);
        halley.publish("news", 4);
        await("fourth delivered", () -> PageStreams.frames(stays).lastSeq() == 4 && PageStreams.frames(comes).lastSeq() == 2);
        assertEquals(2, PageStreams.frames(leaves).lastSeq(), "nothing after it left");
        assertEquals(3, TestSupport.awaitCommands(comes, 2).get(0).get("data").getAsInt(), "from the first publish after it came");
    }

    @Test
    void messageBytesAreEncodedOnceAndSharedAcrossPages() throws Exception {
        Page a = halley.open("s1");
        Page b = halley.open("s2");
        a.subscribe("news");
        b.subscribe("news");
        halley.publish("news", "x");
        await("both delivered", () -> PageStreams.frames(a).lastSeq() == 1 && PageStreams.frames(b).lastSeq() == 1);
        assertSame(commandBytes(PageStreams.frames(a).since(0).frames().get(0)), commandBytes(PageStreams.frames(b).since(0).frames().get(0)),
                "one array referenced by both pages' frames");
    }

    private static Object commandBytes(Frame f) throws ReflectiveOperationException {
        java.lang.reflect.Field bytes = Frame.class.getDeclaredField("commands");
        bytes.setAccessible(true);
        return bytes.get(f);
    }

    @Test
    void messagesPublishedFasterThanTheFanOutReachEveryPageOnceInOneOrder() throws Exception {
        List<Page> pages = new java.util.ArrayList<>();
        for (int i = 0; i < 1200; i++) { // more than one slice per fan-out thread
            Page p = halley.open("s" + i);
            p.subscribe("burst");
            pages.add(p);
        }
        int publishers = 4;
        int each = 250;
        Thread[] threads = new Thread[publishers];
        for (int t = 0; t < publishers; t++) {
            int me = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) halley.publish("burst", me * 1000 + i);
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join(10_000);
        List<Long> first = null;
        for (Page p : pages) {
            List<Long> ids = TestSupport.awaitCommands(p, publishers * each).stream()
                    .map(c -> c.get("id").getAsLong()).toList();
            assertEquals(publishers * each, ids.size(), "every message once on " + p);
            assertEquals(publishers * each, new java.util.HashSet<>(ids).size(), "no duplicate on " + p);
            if (first == null) first = ids;
            else assertEquals(first, ids, "the same order on every page");
            assertTrue(PageStreams.frames(p).lastSeq() <= publishers * each, "at most one frame per message");
        }
    }

    @Test
    void serverSideListenersReceiveMessagesInOrder() throws Exception {
        List<Long> ids = new CopyOnWriteArrayList<>();
        AutoCloseable sub = halley.listen("ticks", m -> ids.add(m.id()));
        for (int i = 0; i < 5; i++) halley.publish("ticks", i);
        await("five messages heard", () -> ids.size() >= 5);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids);
        sub.close();
        AutoCloseable witness = halley.listen("ticks", m -> ids.add(-m.id()));
        halley.publish("ticks", 6);
        await("the witness heard message 6", () -> ids.contains(-6L));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, -6L), ids, "the closed listener heard nothing");
        witness.close();
    }

    @Test
    void subscribingWithALastIdCatchesUpFromBoundedHistory() {
        for (int i = 1; i <= 5; i++) halley.publish("feed", "m" + i);
        assertEquals(3, halley.history("feed", 0).size(), "history bounded to 3");
        Page p = halley.open("s1");
        p.subscribe("feed", 3);
        List<JsonObject> got = TestSupport.commands(p);
        assertEquals(List.of(4L, 5L), got.stream().map(c -> c.get("id").getAsLong()).toList());
        assertEquals(1, PageStreams.frames(p).since(0).frames().size(), "catch-up arrives as one frame");
    }

    @Test
    void unsubscribedPageGetsNoMoreMessages() {
        Page p = halley.open("s1");
        p.subscribe("news");
        halley.publish("news", 1);
        TestSupport.awaitCommands(p, 1);
        p.unsubscribe("news");
        Page witness = halley.open("s2");
        witness.subscribe("news");
        halley.publish("news", 2);
        TestSupport.awaitCommands(witness, 1);
        assertEquals(1, PageStreams.frames(p).lastSeq());
        assertTrue(p.channels().isEmpty());
    }

    @Test
    void deadPagesAreUnsubscribed() {
        Page p = halley.open("s1");
        p.subscribe("news");
        assertEquals(1, halley.subscribers("news"));
        p.close();
        assertEquals(0, halley.subscribers("news"));
    }

    @Test
    void channelsWithNoReaderLeaveTheRegistry() throws Exception {
        Page p = halley.open("s1");
        for (int i = 0; i < 50; i++) {
            p.subscribe("tmp" + i);
            p.unsubscribe("tmp" + i);
            halley.publish("nobody" + i, i); // published where nobody listens: nothing kept here
        }
        AutoCloseable l = halley.listen("watched", m -> { });
        p.subscribe("kept");
        assertEquals(2, halley.channels().channelCount());
        l.close();
        p.close();
        assertEquals(0, halley.channels().channelCount());
        p = halley.open("s1");
        p.subscribe("kept", 0);
        halley.publish("kept", "after");
        assertEquals("after", TestSupport.awaitCommands(p, 1).get(0).get("data").getAsString(), "a retired channel comes back");
    }

    @Test
    void badChannelNamesGetAClearError() {
        for (String bad : new String[] {"", "has space", "<script>", "x".repeat(200), "-lead"}) {
            HalleyException e = assertThrows(HalleyException.class, () -> halley.publish(bad, 1), bad);
            assertEquals(HalleyException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().startsWith("invalid channel name"), e.getMessage());
        }
        Page p = halley.open("s1");
        assertThrows(HalleyException.class, () -> p.subscribe("bad name"));
    }

    @Test
    void channelsPerPageAreLimited() {
        Page p = halley.open("s1");
        p.subscribe("a");
        p.subscribe("b");
        p.subscribe("a"); // already subscribed: fine
        HalleyException e = assertThrows(HalleyException.class, () -> p.subscribe("c"));
        assertEquals(HalleyException.Kind.LIMIT, e.kind());
        assertEquals(2, p.channels().size());
    }

    @Test
    void oversizeMessagesAreRefusedAndNothingIsDelivered() {
        Page p = halley.open("s1");
        p.subscribe("news");
        HalleyException e = assertThrows(HalleyException.class, () -> halley.publish("news", "y".repeat(500)));
        assertEquals(HalleyException.Kind.TOO_LARGE, e.kind());
        assertEquals(0, PageStreams.frames(p).lastSeq());
        await("nothing delivered", () -> halley.history("news", 0).isEmpty());
    }

    @Test
    void aPublisherOutrunningTheFanOutWaitsForRoomAndNothingIsLost() throws Exception {
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        List<Long> ids = new CopyOnWriteArrayList<>();
        AutoCloseable l = halley.listen("bp", m -> {
            if (m.id() == 1) {
                try {
                    stuck.await(20, java.util.concurrent.TimeUnit.SECONDS); // the round is stuck here
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ids.add(m.id());
        });
        int total = ChannelRegistry.MAX_PENDING + 2000;
        java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                halley.publish("bp", i);
                published.incrementAndGet();
            }
        });
        publisher.start();
        await("the queue filled", () -> halley.channels().pendingCount("bp") >= ChannelRegistry.MAX_PENDING);
        int before = published.get();
        Thread.sleep(300);
        assertEquals(before, published.get(), "the publisher waits for room");
        assertEquals(ChannelRegistry.MAX_PENDING, halley.channels().pendingCount("bp"), "no more than MAX_PENDING wait");
        assertTrue(publisher.getState() == Thread.State.TIMED_WAITING, "waiting, not spinning: " + publisher.getState());
        stuck.countDown();
        publisher.join(20_000);
        assertEquals(total, published.get());
        await("every message heard", java.time.Duration.ofSeconds(20), () -> ids.size() >= total);
        for (int i = 0; i < total; i++) assertEquals(i + 1, ids.get(i), "in order, once");
        l.close();
    }

    @Test
    void aBatchReachesEveryPageAsOneFrameInOrderAndListenersHearEachMessage() throws Exception {
        List<Page> pages = List.of(halley.open("s1"), halley.open("s2"), halley.open("s3"));
        for (Page p : pages) p.subscribe("batch");
        List<Long> heard = new CopyOnWriteArrayList<>();
        AutoCloseable l = halley.listen("batch", m -> heard.add(m.id()));
        List<Integer> data = new java.util.ArrayList<>();
        for (int i = 1; i <= 50; i++) data.add(i);
        halley.publishAll("batch", data);
        for (Page p : pages) {
            List<JsonObject> got = TestSupport.awaitCommands(p, 50);
            assertEquals(1, PageStreams.frames(p).lastSeq(), "one frame for the batch on " + p);
            for (int i = 0; i < 50; i++) {
                assertEquals(i + 1, got.get(i).get("id").getAsLong());
                assertEquals(i + 1, got.get(i).get("data").getAsInt());
            }
        }
        await("the listener heard all", () -> heard.size() >= 50);
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList(), heard);
        l.close();
    }

    @Test
    void aBatchWithOneBadMessagePublishesNone() {
        Page p = halley.open("s1");
        p.subscribe("batch");
        HalleyException big = assertThrows(HalleyException.class, () -> halley.publishAll("batch", List.of(1, "y".repeat(500), 3)));
        assertEquals(HalleyException.Kind.TOO_LARGE, big.kind());
        HalleyException empty = assertThrows(HalleyException.class, () -> halley.publishAll("batch", List.of()));
        assertEquals(HalleyException.Kind.BAD_INPUT, empty.kind());
        assertThrows(HalleyException.class, () -> halley.publishAll("bad name", List.of(1)));
        assertTrue(halley.history("batch", 0).isEmpty(), "nothing entered the history");
        assertEquals(0, PageStreams.frames(p).lastSeq());
    }
}
