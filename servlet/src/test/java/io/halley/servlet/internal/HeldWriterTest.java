package io.halley.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.servlet.internal.HeldWriter.Result;
import io.halley.servlet.internal.HeldWriter.State;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The writer's state machine, driven step by step on the test's thread through a seam on the
 * servlet output (its {@code isReady()} answers are scripted) and a queue standing in for the
 * container's executor. The container paths as a whole run on real Jetty and Tomcat in
 * StreamLifecycleTest, SlowConnectionTest, ScriptStreamTest, PushTest and the scenario tests.
 */
class HeldWriterTest {

    /** A servlet output whose {@code isReady()} answers come from a script (true when it runs out). */
    static final class ScriptedOutput extends ServletOutputStream {
        final ArrayDeque<Boolean> ready = new ArrayDeque<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Runnable onNotReady = () -> { };
        WriteListener listener;
        int flushes;

        @Override
        public boolean isReady() {
            Boolean r = ready.poll();
            if (r != null && !r) {
                onNotReady.run();
                return false;
            }
            return true;
        }

        @Override
        public void setWriteListener(WriteListener l) {
            listener = l;
        }

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    /** Steps that write queued strings, then flush, then (when told) are done. */
    static class QueuedSteps implements HeldWriter.Steps {
        final ArrayDeque<String> queue = new ArrayDeque<>();
        final List<Throwable> ends = new ArrayList<>();
        boolean done;
        boolean needFlush;
        int depth;
        int maxDepth;
        int calls;

        @Override
        public Result step(ServletOutputStream out) throws IOException {
            calls++;
            depth++;
            maxDepth = Math.max(maxDepth, depth);
            try {
                return next(out);
            } finally {
                depth--;
            }
        }

        Result next(ServletOutputStream out) throws IOException {
            String s = queue.poll();
            if (s != null) {
                out.write(s.getBytes());
                needFlush = true;
                return Result.WROTE;
            }
            if (needFlush) {
                needFlush = false;
                out.flush();
                return Result.WROTE;
            }
            return done ? Result.DONE : Result.IDLE;
        }

        @Override
        public void ended(Throwable failure) {
            ends.add(failure);
        }
    }

    private final ScriptedOutput out = new ScriptedOutput();
    private final ArrayDeque<Runnable> container = new ArrayDeque<>();

    private HeldWriter writer(HeldWriter.Steps steps) {
        HeldWriter w = new HeldWriter(out, container::add, steps, "a test response");
        w.listen();
        assertSame(w, out.listener);
        return w;
    }

    @Test
    void writesNothingBeforeTheContainersFirstOnWritePossible() {
        QueuedSteps steps = new QueuedSteps();
        HeldWriter w = writer(steps);
        steps.queue.add("a");
        w.iterate();
        w.dispatch();
        assertEquals(State.WAITING, w.state());
        assertEquals(0, steps.calls);
        assertTrue(container.isEmpty());

        w.onWritePossible();
        assertEquals("a", out.bytes.toString());
        assertEquals(1, out.flushes);
        assertEquals(State.IDLE, w.state());
    }

    @Test
    void leavesWhenTheOutputIsNotReadyAndResumesOnWritePossible() {
        QueuedSteps steps = new QueuedSteps();
        HeldWriter w = writer(steps);
        steps.queue.add("a");
        steps.queue.add("b");
        out.ready.add(true);
        out.ready.add(false); // after "a"
        w.onWritePossible();
        assertEquals("a", out.bytes.toString());
        assertEquals(State.WAITING, w.state());

        w.iterate(); // an event while waiting: the resumed writer finds the work
        assertEquals("a", out.bytes.toString());

        w.onWritePossible();
        assertEquals("ab", out.bytes.toString());
        assertEquals(State.IDLE, w.state());
        assertTrue(steps.ends.isEmpty());
    }

    @Test
    void anOnWritePossibleRacingWithAWriterThatSawNotReadyKeepsItWriting() {
        QueuedSteps steps = new QueuedSteps();
        HeldWriter w = writer(steps);
        steps.queue.add("a");
        steps.queue.add("b");
        out.ready.add(true);
        out.ready.add(false);
        // the container's callback lands between isReady() == false and the writer leaving
        out.onNotReady = w::onWritePossible;
        w.onWritePossible();
        assertEquals("ab", out.bytes.toString());
        assertEquals(State.IDLE, w.state());
    }

    @Test
    void anIterationAskedForDuringAStepMakesTheWriterLookAgainWithoutRecursion() {
        HeldWriter[] self = new HeldWriter[1];
        QueuedSteps steps = new QueuedSteps() {
            @Override
            Result next(ServletOutputStream out) throws IOException {
                if (calls == 1) { // another thread's event arrives mid-step, after this step looked
                    queue.add("late");
                    self[0].iterate();
                    self[0].dispatch();
                    return Result.IDLE;
                }
                return super.next(out);
            }
        };
        HeldWriter w = writer(steps);
        self[0] = w;
        w.onWritePossible();
        assertEquals("late", out.bytes.toString());
        assertEquals(1, steps.maxDepth);
        assertTrue(container.isEmpty(), "the active writer took the work: nothing dispatched");
        assertEquals(State.IDLE, w.state());
    }

    @Test
    void aDispatchedIterationRunsOnTheContainerThreadOnly() {
        QueuedSteps steps = new QueuedSteps();
        HeldWriter w = writer(steps);
        w.onWritePossible();
        assertEquals(State.IDLE, w.state());

        steps.queue.add("x");
        w.dispatch();
        assertEquals(State.DISPATCHED, w.state());
        assertEquals("", out.bytes.toString());
        w.dispatch(); // asked again: still one job
        assertEquals(1, container.size());

        container.poll().run();
        assertEquals("x", out.bytes.toString());
        assertEquals(State.IDLE, w.state());
    }

    @Test
    void doneEndsTheWriterOnceWithNoFailure() {
        QueuedSteps steps = new QueuedSteps();
        steps.queue.add("bye");
        steps.done = true;
        HeldWriter w = writer(steps);
        w.onWritePossible();
        assertEquals("bye", out.bytes.toString());
        assertEquals(State.COMPLETED, w.state());
        assertEquals(1, steps.ends.size());
        assertNull(steps.ends.get(0));

        w.iterate();
        w.onWritePossible();
        w.fail(new IOException("late"));
        assertEquals(1, steps.ends.size());
        assertEquals(State.COMPLETED, w.state());
    }

    @Test
    void aFailureOfAnIdleWriterEndsItAtOnceAndSticks() {
        QueuedSteps steps = new QueuedSteps();
        HeldWriter w = writer(steps);
        w.onWritePossible();
        IOException first = new IOException("reset");
        w.onError(first);
        w.fail(new IOException("second"));
        assertEquals(List.of(first), steps.ends);
        assertEquals(State.FAILED, w.state());

        steps.queue.add("never");
        w.iterate();
        w.dispatch();
        w.onWritePossible();
        assertEquals("", out.bytes.toString());
        assertTrue(container.isEmpty());
    }

    @Test
    void aFailureDuringAStepEndsTheWriterOnItsThreadOnceTheStepReturns() {
        HeldWriter[] self = new HeldWriter[1];
        IOException cause = new IOException("went away");
        QueuedSteps steps = new QueuedSteps() {
            @Override
            Result next(ServletOutputStream out) throws IOException {
                self[0].fail(cause); // e.g. the container's onError on another thread
                assertTrue(ends.isEmpty(), "not ended while a step is writing");
                return Result.WROTE;
            }
        };
        HeldWriter w = writer(steps);
        self[0] = w;
        w.onWritePossible();
        assertEquals(List.of(cause), steps.ends);
        assertEquals(1, steps.calls, "no step after the failure");
        assertEquals(State.FAILED, w.state());
    }

    @Test
    void aStepThatThrowsFailsTheWriter() {
        IOException cause = new IOException("broken pipe");
        QueuedSteps steps = new QueuedSteps() {
            @Override
            Result next(ServletOutputStream out) throws IOException {
                throw cause;
            }
        };
        HeldWriter w = writer(steps);
        w.onWritePossible();
        assertEquals(List.of(cause), steps.ends);
        assertEquals(State.FAILED, w.state());
    }

    @Test
    void aFailureWhileDispatchedIsEndedByTheDispatchedThreadNotTheFailingOne() {
        QueuedSteps steps = new QueuedSteps();
        HeldWriter w = writer(steps);
        w.onWritePossible();
        steps.queue.add("x");
        w.dispatch();
        IOException cause = new IOException("reset");
        w.fail(cause);
        assertTrue(steps.ends.isEmpty(), "the queued container job still owns the response");

        container.poll().run();
        assertEquals(List.of(cause), steps.ends);
        assertEquals("", out.bytes.toString());
    }

    @Test
    void aDispatchTheContainerRefusesFailsTheWriter() {
        QueuedSteps steps = new QueuedSteps();
        RejectedExecutionException refused = new RejectedExecutionException("AsyncContext completed");
        HeldWriter w = new HeldWriter(out, r -> { throw refused; }, steps, "a test response");
        w.listen();
        w.onWritePossible();
        w.dispatch();
        assertEquals(List.of(refused), steps.ends);
        assertEquals(State.FAILED, w.state());
    }

    @Test
    void closeEndsTheWriterQuietly() {
        QueuedSteps steps = new QueuedSteps();
        HeldWriter w = writer(steps);
        w.close();
        w.onWritePossible();
        w.fail(new IOException("after"));
        assertEquals(State.COMPLETED, w.state());
        assertTrue(steps.ends.isEmpty());
        assertEquals(0, steps.calls);
    }

    @Test
    void aWriterWaitingForTheContainerLongerThanAPeriodIsStalled() throws InterruptedException {
        QueuedSteps steps = new QueuedSteps();
        steps.queue.add("a");
        HeldWriter w = writer(steps);
        out.ready.add(false);
        w.onWritePossible();
        assertEquals(State.WAITING, w.state());
        assertFalse(w.stalled(60_000_000_000L));
        Thread.sleep(5);
        assertTrue(w.stalled(1_000_000L));

        w.onWritePossible();
        assertEquals(State.IDLE, w.state());
        assertFalse(w.stalled(0), "an idle writer is not stalled");
        assertArrayEquals("a".getBytes(), out.bytes.toByteArray());
    }

    @Test
    void theContainersOnErrorReturnsOnlyAfterAStepInProgressOnAnotherThreadReturned() throws Exception {
        java.util.concurrent.CountDownLatch inStep = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stepReturned = new java.util.concurrent.atomic.AtomicBoolean();
        QueuedSteps steps = new QueuedSteps() {
            @Override
            Result next(ServletOutputStream out) throws IOException {
                inStep.countDown();
                try {
                    release.await(5, java.util.concurrent.TimeUnit.SECONDS); // a write in flight
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                stepReturned.set(true);
                return Result.WROTE;
            }
        };
        HeldWriter w = writer(steps);
        Thread writerThread = new Thread(w::onWritePossible, "writer");
        writerThread.start();
        assertTrue(inStep.await(5, java.util.concurrent.TimeUnit.SECONDS));
        IOException cause = new IOException("client went away");
        Thread container = new Thread(() -> w.onError(cause), "container");
        container.start();
        container.join(200);
        assertTrue(container.isAlive(), "onError waits while the step writes (the container would recycle the response)");
        release.countDown();
        container.join(5000);
        assertFalse(container.isAlive(), "onError returned once the step did");
        assertTrue(stepReturned.get());
        writerThread.join(5000);
        assertEquals(List.of(cause), steps.ends);
        assertEquals(1, steps.calls, "no step after the failure");
    }

    @Test
    void theContainersOnErrorOnTheWritersOwnThreadDoesNotWaitForItself() {
        HeldWriter[] self = new HeldWriter[1];
        IOException cause = new IOException("reset");
        QueuedSteps steps = new QueuedSteps() {
            @Override
            Result next(ServletOutputStream out) {
                self[0].onError(cause); // a container that reports the error inside the write
                return Result.WROTE;
            }
        };
        HeldWriter w = writer(steps);
        self[0] = w;
        long t0 = System.nanoTime();
        w.onWritePossible();
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "no wait for itself");
        assertEquals(List.of(cause), steps.ends);
    }
}
