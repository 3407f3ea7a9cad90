package io.halley.core;

import static io.halley.core.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.halley.core.internal.Outbox;
import io.halley.core.transport.FrameConsumer;
import io.halley.core.transport.PageStream;
import io.halley.core.transport.PageStreams;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PageTest {
    private Halley halley;

    @AfterEach
    void close() {
        if (halley != null) halley.close();
    }

    private Halley start(Halley.Builder b) {
        halley = b.build().start();
        return halley;
    }

    @Test
    void openGivesUnguessableUrlSafeIdsAndTokens() {
        start(TestSupport.quick().maxPagesPerSession(5000));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Page p = halley.open("s1");
            assertTrue(p.id().matches("[A-Za-z0-9_-]{22}"), p.id());
            assertTrue(p.token().matches("[A-Za-z0-9_-]{22}"));
            assertNotEquals(p.id(), p.token());
            assertTrue(ids.add(p.id()), "duplicate id");
        }
    }

    @Test
    void ownerSessionCanLookUpItsPage() {
        start(TestSupport.quick());
        Page p = halley.open("s1");
        assertSame(p, halley.page(p.id(), "s1"));
        assertTrue(p.checkToken(p.token()));
        assertFalse(p.checkToken("wrong"));
        assertFalse(p.checkToken(null));
    }

    @Test
    void otherSessionCannotLookUpPage() {
        start(TestSupport.quick());
        Page p = halley.open("s1");
        HalleyException e = assertThrows(HalleyException.class, () -> halley.page(p.id(), "s2"));
        assertEquals(HalleyException.Kind.FORBIDDEN, e.kind());
        assertEquals(403, e.kind().status());
        assertFalse(e.getMessage().contains(p.id()), "error must not echo the page id");
    }

    @Test
    void lookupOfMalformedUnknownAndDeadPagesFailsWithTheirKinds() {
        start(TestSupport.quick());
        assertEquals(HalleyException.Kind.BAD_INPUT, assertThrows(HalleyException.class, () -> halley.page("../etc", "s1")).kind());
        assertEquals(HalleyException.Kind.NOT_FOUND, assertThrows(HalleyException.class,
                () -> halley.page("AAAAAAAAAAAAAAAAAAAAAA", "s1")).kind());
        Page p = halley.open("s1");
        p.close();
        assertEquals(HalleyException.Kind.GONE, assertThrows(HalleyException.class, () -> halley.page(p.id(), "s1")).kind());
    }

    @Test
    void pagesPerSessionLimitAnswersLimitAndOtherSessionsStillOpen() {
        start(TestSupport.quick().maxPagesPerSession(3));
        for (int i = 0; i < 3; i++) halley.open("s1");
        HalleyException e = assertThrows(HalleyException.class, () -> halley.open("s1"));
        assertEquals(HalleyException.Kind.LIMIT, e.kind());
        assertEquals(429, e.kind().status());
        assertNotNull(halley.open("s2"));
        halley.pagesOf("s1").get(0).close();
        assertNotNull(halley.open("s1"), "a closed page frees its slot");
    }

    @Test
    void pageDiesWhenLeaseExpiresAndInterruptsItsFunctions() {
        start(Halley.builder().pageLease(Duration.ofMillis(300)));
        Page p = halley.open("s1");
        AtomicBoolean interrupted = new AtomicBoolean();
        p.comet(c -> {
            try {
                c.sleep(Duration.ofMinutes(1));
            } catch (PageDiedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        await("page death", Duration.ofSeconds(5), () -> !p.isAlive());
        await("function interrupted", () -> interrupted.get());
        await("function ended", () -> p.functionCount() == 0);
        assertEquals(0, halley.pageCount());
    }

    @Test
    void attachedTransportKeepsPageAliveAndDetachStartsTheLease() throws Exception {
        start(Halley.builder().pageLease(Duration.ofMillis(300)));
        Page p = halley.open("s1");
        PageStream a = PageStreams.attach(p, noop());
        Thread.sleep(800);
        assertTrue(p.isAlive(), "attached page outlives its lease");
        long detachedAt = System.nanoTime();
        a.detach();
        await("page death after detach", Duration.ofSeconds(5), () -> !p.isAlive());
        long ms = (System.nanoTime() - detachedAt) / 1_000_000;
        assertTrue(ms >= 250, "died after " + ms + " ms, before its lease");
    }

    @Test
    void pagePolledFasterThanItsLeaseLivesAndDiesALeaseAfterTheLastDetach() throws Exception {
        start(Halley.builder().pageLease(Duration.ofMillis(300)));
        Page p = halley.open("s1");
        long until = System.nanoTime() + Duration.ofMillis(1200).toNanos();
        int polls = 0;
        while (System.nanoTime() - until < 0 && polls < 1000) { // a long-poll's rhythm: held 40 ms, away 10 ms
            PageStream a = PageStreams.attach(p, noop());
            Thread.sleep(40);
            a.detach();
            Thread.sleep(10);
            polls++;
        }
        assertTrue(p.isAlive(), "a page polled " + polls + " times in four leases died");
        long detachedAt = System.nanoTime();
        await("page death after the last detach", Duration.ofSeconds(5), () -> !p.isAlive());
        long ms = (System.nanoTime() - detachedAt) / 1_000_000;
        assertTrue(ms >= 250, "died " + ms + " ms after the last detach, before its lease");
    }

    @Test
    void leaseCountsFromTheLastDetachNotFromTheOpen() throws Exception {
        start(Halley.builder().pageLease(Duration.ofMillis(300)));
        Page p = halley.open("s1");
        PageStream a = PageStreams.attach(p, noop());
        Thread.sleep(200);
        a.detach();  // the lease timer of the open is still scheduled: it must not count from the open
        Thread.sleep(150);
        assertTrue(p.isAlive(), "died 150 ms after a detach, with a 300 ms lease");
        await("page death", Duration.ofSeconds(5), () -> !p.isAlive());
    }

    @Test
    void attachingToADeadPageIsGone() {
        start(TestSupport.quick());
        Page p = halley.open("s1");
        p.close();
        assertEquals(HalleyException.Kind.GONE, assertThrows(HalleyException.class, () -> PageStreams.attach(p, noop())).kind());
    }

    @Test
    void pageListenersSeeOpenAndClose() {
        start(TestSupport.quick());
        List<String> events = new CopyOnWriteArrayList<>();
        halley.addPageListener(new PageListener() {
            @Override
            public void opened(Page page) {
                events.add("open " + page.sessionId());
            }

            @Override
            public void closed(Page page) {
                events.add("close " + page.sessionId());
            }
        });
        Page p = halley.open("s9");
        p.close();
        p.close();
        assertEquals(List.of("open s9", "close s9"), events);
    }

    @Test
    void sessionEndedClosesEveryPageOfTheSession() {
        start(TestSupport.quick());
        Page a = halley.open("s1");
        Page b = halley.open("s1");
        Page other = halley.open("s2");
        halley.sessionEnded("s1");
        assertFalse(a.isAlive());
        assertFalse(b.isAlive());
        assertTrue(other.isAlive());
    }

    @Test
    void closeCancelsEveryFunctionAndFreesEveryPage() {
        start(TestSupport.quick());
        Page a = halley.open("s1");
        Page b = halley.open("s2");
        a.comet(c -> c.receive());
        b.comet(c -> c.sleep(Duration.ofMinutes(5)));
        halley.close();
        assertFalse(a.isAlive());
        assertFalse(b.isAlive());
        assertEquals(0, a.functionCount() + b.functionCount());
        assertEquals(0, halley.pageCount());
        assertThrows(IllegalStateException.class, () -> halley.open("s1"));
    }

    @Test
    void writerPushesCommandsFromOutsideAnyFunction() {
        start(TestSupport.quick());
        Page p = halley.open("s1");
        long seq = p.writer().update("#a", "1").text("#b", "2").flush();
        assertEquals(1, seq);
        assertEquals(List.of("update", "text"), TestSupport.ops(p));
        assertEquals(0, p.writer().flush(), "empty flush sends nothing");
    }

    @Test
    void settingsFailFastWithTheBadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Halley.builder().pageLease(Duration.ofSeconds(-1)).build());
        assertTrue(e.getMessage().contains("pageLease"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Halley.builder().replayFrames(0).build());
        assertTrue(e.getMessage().contains("replayFrames") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void operationsBeforeStartFailClearly() {
        Halley h = Halley.builder().build();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.open("s"));
            assertTrue(e.getMessage().contains("start()"));
        } finally {
            h.close();
        }
    }

    static FrameConsumer noop() {
        return new FrameConsumer() {
            @Override
            public void framesAvailable() {
            }

            @Override
            public void detached(boolean replaced) {
            }
        };
    }
}
