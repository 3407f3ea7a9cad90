package io.halley.core.internal;

import static org.junit.jupiter.api.Assertions.*;

import io.halley.core.HalleyException;
import io.halley.core.command.Command;
import io.halley.core.transport.Frame;
import io.halley.core.transport.FrameConsumer;
import io.halley.core.transport.PageStream;
import io.halley.core.transport.Replay;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private static String cmds(String text) {
        return Json.encodeCommands(List.of(new Command.Text("#t", text)));
    }

    @Test
    void framesAreNumberedFromOneInFlushOrder() {
        Outbox o = new Outbox(100, 1 << 20);
        assertEquals(1, o.append(cmds("a")));
        assertEquals(2, o.append(cmds("b")));
        assertEquals(3, o.append(cmds("c")));
        Replay r = o.since(0);
        assertFalse(r.resync());
        assertEquals(List.of(1L, 2L, 3L), r.frames().stream().map(Frame::seq).toList());
        assertTrue(r.frames().get(1).toJson().startsWith("{\"seq\":2,\"cmds\":[{\"op\":\"text\""));
    }

    @Test
    void everyBufferedFrameKeepsItsSequenceAndCommandsAcrossStorageChunksAndEvictions() {
        Outbox o = new Outbox(150, 1 << 20); // more than two storage chunks, evicting as it goes
        for (int i = 1; i <= 1000; i++) {
            assertEquals(i, o.append(cmds("m" + i)));
            if (i % 97 == 0 || i == 1000) {
                long from = Math.max(0, i - 150);
                List<Frame> frames = o.since(from).frames();
                assertEquals(i - from, frames.size(), "frames after " + from + " at " + i);
                for (int k = 0; k < frames.size(); k++) {
                    long seq = from + 1 + k;
                    assertEquals(seq, frames.get(k).seq());
                    assertEquals(cmds("m" + seq), frames.get(k).commandsJson());
                }
            }
        }
        assertEquals(150, o.bufferedFrames());
        Replay r = o.since(849);
        assertTrue(r.resync(), "frame 850 was evicted");
        assertEquals(850, r.lostThrough());
        assertEquals(851, r.frames().get(1).seq());
        assertEquals(cmds("m851"), r.frames().get(1).commandsJson());
    }

    @Test
    void framesSinceReturnsOnlyLaterFrames() {
        Outbox o = new Outbox(100, 1 << 20);
        for (int i = 0; i < 5; i++) o.append(cmds("x" + i));
        assertEquals(List.of(4L, 5L), o.since(3).frames().stream().map(Frame::seq).toList());
        assertTrue(o.since(5).frames().isEmpty());
        assertFalse(o.since(5).resync());
    }

    @Test
    void resumeBeyondReplayBufferAnswersResync() {
        Outbox o = new Outbox(3, 1 << 20);
        for (int i = 0; i < 10; i++) o.append(cmds("x" + i));
        Replay r = o.since(2);
        assertTrue(r.resync());
        assertEquals(7, r.lostThrough());
        Frame first = r.frames().get(0);
        assertEquals(7, first.seq());
        assertTrue(first.commandsJson().contains("\"op\":\"resync\""));
        assertEquals(List.of(8L, 9L, 10L), r.frames().subList(1, 4).stream().map(Frame::seq).toList());
        // within the buffer: no resync
        assertFalse(o.since(7).resync());
    }

    @Test
    void replayBufferIsBoundedByBytes() {
        Outbox o = new Outbox(1000, 2000);
        String big = "y".repeat(500);
        for (int i = 0; i < 20; i++) o.append(cmds(big));
        assertTrue(o.bufferedBytes() <= 2000, "buffered " + o.bufferedBytes());
        assertTrue(o.bufferedFrames() < 20);
        assertTrue(o.since(1).resync());
    }

    @Test
    void resumeAheadOfTheLogAnswersResyncWithEverything() {
        Outbox o = new Outbox(10, 1 << 20);
        o.append(cmds("a"));
        Replay r = o.since(99);
        assertTrue(r.resync());
        assertEquals(2, r.frames().size());
        assertEquals(0, r.frames().get(0).seq());
    }

    @Test
    void frameLargerThanTheBufferIsRefusedAndNothingIsAppended() {
        Outbox o = new Outbox(10, 1024);
        o.append(cmds("ok"));
        HalleyException e = assertThrows(HalleyException.class, () -> o.append(cmds("z".repeat(5000))));
        assertEquals(HalleyException.Kind.TOO_LARGE, e.kind());
        assertEquals(1, o.lastSeq());
        assertFalse(o.since(0).resync());
    }

    @Test
    void negativeSequenceIsBadInput() {
        Outbox o = new Outbox(10, 1 << 20);
        assertEquals(HalleyException.Kind.BAD_INPUT, assertThrows(HalleyException.class, () -> o.since(-1)).kind());
    }

    @Test
    void appendWakesTheAttachedConsumerAndASecondConsumerReplacesTheFirst() {
        Outbox o = new Outbox(10, 1 << 20);
        AtomicInteger wakes1 = new AtomicInteger();
        AtomicInteger replaced1 = new AtomicInteger();
        AtomicInteger wakes2 = new AtomicInteger();
        PageStream a1 = o.attach(consumer(wakes1, replaced1, null), () -> { });
        o.append(cmds("a"));
        assertEquals(1, wakes1.get());
        PageStream a2 = o.attach(consumer(wakes2, new AtomicInteger(), null), () -> { });
        assertEquals(1, replaced1.get(), "first consumer told it was replaced");
        assertFalse(a1.isCurrent());
        assertTrue(a2.isCurrent());
        o.append(cmds("b"));
        assertEquals(1, wakes1.get(), "replaced consumer no longer woken");
        assertEquals(1, wakes2.get());
    }

    @Test
    void closingTheOutboxDetachesTheConsumerAndRefusesAppends() {
        Outbox o = new Outbox(10, 1 << 20);
        AtomicInteger closed = new AtomicInteger();
        o.attach(consumer(new AtomicInteger(), new AtomicInteger(), closed), () -> { });
        o.close();
        assertEquals(1, closed.get());
        assertEquals(-1, o.append(cmds("late")));
        AtomicInteger closedLate = new AtomicInteger();
        o.attach(consumer(new AtomicInteger(), new AtomicInteger(), closedLate), () -> { });
        assertEquals(1, closedLate.get(), "attaching to a closed outbox detaches at once");
    }

    @Test
    void concurrentAppendsLoseNothingAndNumberEveryFrameOnce() throws Exception {
        Outbox o = new Outbox(100_000, 64L << 20);
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 2000; i++) o.append(cmds("v"));
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join(10_000);
        Replay r = o.since(0);
        assertEquals(8000, r.frames().size());
        for (int i = 0; i < 8000; i++) assertEquals(i + 1, r.frames().get(i).seq());
    }

    private static FrameConsumer consumer(AtomicInteger wakes, AtomicInteger replaced, AtomicInteger closed) {
        return new FrameConsumer() {
            @Override
            public void framesAvailable() {
                wakes.incrementAndGet();
            }

            @Override
            public void detached(boolean r) {
                if (r) replaced.incrementAndGet();
                else if (closed != null) closed.incrementAndGet();
            }
        };
    }
}
