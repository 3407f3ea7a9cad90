package io.halley.core;

import static io.halley.core.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.halley.core.comet.CometFunction;
import io.halley.core.comet.CometHandle;
import io.halley.core.comet.CometOptions;
import io.halley.core.command.Command;
import io.halley.core.transport.Frame;
import io.halley.core.transport.PageStreams;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CometFunctionTest {
    private Halley halley;

    @AfterEach
    void close() {
        if (halley != null) halley.close();
    }

    private Page page() {
        if (halley == null) halley = TestSupport.quick().build().start();
        return halley.open("s1");
    }

    @Test
    void eachFlushShipsOneFrame() {
        Page p = page();
        CometHandle h = p.comet(c -> {
            c.update("#a", "1").flush();
            c.update("#a", "2").text("#b", "x").flush();
        });
        await("function end", h::isDone);
        List<Frame> frames = PageStreams.frames(p).since(0).frames();
        assertEquals(2, frames.size());
        assertTrue(frames.get(1).commandsJson().contains("\"text\""));
    }

    @Test
    void commandsQueuedAfterLastFlushAreDelivered() {
        Page p = page();
        CometHandle h = p.comet(c -> {
            c.update("#a", "flushed").flush();
            c.update("#a", "after last flush");
        });
        await("function end", h::isDone);
        assertEquals(2, PageStreams.frames(p).since(0).frames().size());
        assertEquals("after last flush", TestSupport.commands(p).get(1).get("html").getAsString());
    }

    @Test
    void functionThatNeverFlushesDeliversEverythingAtItsEnd() {
        Page p = page();
        CometHandle h = p.comet(c -> c.alert("one").alert("two"));
        await("function end", h::isDone);
        assertEquals(1, PageStreams.frames(p).since(0).frames().size());
        assertEquals(List.of("alert", "alert"), TestSupport.ops(p));
    }

    @Test
    void exceptionInFunctionKeepsWhatItFlushedAndQueuedAndCountsAsExit() {
        Page p = page();
        CometHandle h = p.comet(c -> {
            c.text("#s", "started").flush();
            c.text("#s", "queued before the throw");
            throw new IllegalStateException("expected test failure");
        });
        await("function end", h::isDone);
        assertEquals(0, p.functionCount());
        assertEquals(List.of("text", "text"), TestSupport.ops(p));
    }

    @Test
    void receiveAndSleepThrowPageDiedWhenThePageDies() throws Exception {
        Page p = page();
        AtomicReference<Throwable> fromReceive = new AtomicReference<>();
        AtomicReference<Throwable> fromSleep = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(2);
        p.comet(c -> {
            c.receive(); // Init
            started.countDown();
            try {
                c.receive();
            } catch (Throwable t) {
                fromReceive.set(t);
            }
        });
        p.comet(c -> {
            started.countDown();
            try {
                c.sleep(Duration.ofMinutes(1));
            } catch (Throwable t) {
                fromSleep.set(t);
            }
        }, CometOptions.builder().build());
        assertTrue(started.await(5, TimeUnit.SECONDS));
        p.close();
        await("both functions stopped", () -> fromReceive.get() != null && fromSleep.get() != null);
        assertInstanceOf(PageDiedException.class, fromReceive.get());
        assertInstanceOf(PageDiedException.class, fromSleep.get());
    }

    @Test
    void isAliveTurnsFalseWhenThePageDies() throws Exception {
        Page p = page();
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Boolean> aliveAfter = new AtomicReference<>();
        p.comet(c -> {
            running.countDown();
            while (c.isAlive()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    break;
                }
            }
            aliveAfter.set(c.isAlive());
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        p.close();
        await("loop left", () -> aliveAfter.get() != null);
        assertFalse(aliveAfter.get());
    }

    @Test
    void receiveWithTimeoutReturnsNullWhenNothingArrives() {
        Page p = page();
        AtomicReference<Object> got = new AtomicReference<>("unset");
        CometHandle h = p.comet(c -> {
            c.receive(); // Init
            got.set(c.receive(Duration.ofMillis(50)));
        }, CometOptions.builder().build());
        await("function end", h::isDone);
        assertNull(got.get());
    }

    @Test
    void cancelEndsTheFunctionThroughItsNormalExitPath() {
        Page p = page();
        CometHandle h = p.comet(c -> c.sleep(Duration.ofMinutes(1)));
        h.cancel();
        await("function end", h::isDone);
        assertTrue(p.isAlive(), "cancelling a function does not kill its page");
    }

    @Test
    void functionLimitPerPageIsEnforced() {
        halley = TestSupport.quick().maxFunctionsPerPage(2).build().start();
        Page p = halley.open("s1");
        p.comet(c -> c.sleep(Duration.ofMinutes(1)));
        p.comet(c -> c.sleep(Duration.ofMinutes(1)));
        HalleyException e = assertThrows(HalleyException.class, () -> p.comet(c -> { }));
        assertEquals(HalleyException.Kind.LIMIT, e.kind());
        assertTrue(e.getMessage().contains("maxFunctionsPerPage"));
    }

    @Test
    void platformExecutorAtItsLimitFailsClearlyAndRecovers() {
        halley = TestSupport.quick().executor(ExecutorMode.PLATFORM).maxCometThreads(2).build().start();
        Page p = halley.open("s1");
        CountDownLatch release = new CountDownLatch(1);
        CometFunction block = c -> release.await(10, TimeUnit.SECONDS);
        p.comet(block);
        p.comet(block);
        HalleyException e = assertThrows(HalleyException.class, () -> p.comet(block));
        assertEquals(HalleyException.Kind.LIMIT, e.kind());
        assertTrue(e.getMessage().contains("maxCometThreads"), e.getMessage());
        assertEquals(2, p.functionCount(), "the refused function is not counted");
        release.countDown();
        await("threads free again", () -> p.functionCount() == 0);
        CometHandle ok = p.comet(c -> c.text("#a", "after"));
        await("function after recovery", ok::isDone);
        assertTrue(p.isAlive());
    }

    @Test
    void virtualThreadsAreUsedWhenTheJvmHasThem() throws Exception {
        halley = TestSupport.quick().build().start();
        boolean jvmHasVirtual = Runtime.version().feature() >= 21;
        assertEquals(jvmHasVirtual, halley.usesVirtualThreads());
        Page p = halley.open("s1");
        AtomicReference<String> threadName = new AtomicReference<>();
        CometHandle h = p.comet(c -> threadName.set(Thread.currentThread().getName()));
        await("function end", h::isDone);
        assertTrue(threadName.get().startsWith("halley-comet-"), threadName.get());
    }

    @Test
    void reconnectActionsAreSentToTheClientWhenTheFunctionStarts() {
        Page p = page();
        CometHandle h = p.comet(c -> { }, CometOptions.builder()
                .reconnectActions(new Command.Notice("Reconnected, restarting the clock", "info")).build());
        await("function end", h::isDone);
        var cmd = TestSupport.commands(p).get(0);
        assertEquals("onreconnect", cmd.get("op").getAsString());
        assertEquals("notice", cmd.getAsJsonArray("cmds").get(0).getAsJsonObject().get("op").getAsString());
    }
}
