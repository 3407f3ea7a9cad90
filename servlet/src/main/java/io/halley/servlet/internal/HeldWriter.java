package io.halley.servlet.internal;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one non-blocking writer of a held response (a page stream, a {@code /comet/<channel>}
 * stream, a waiting {@code /push/sub}): the response's {@link WriteListener}, which runs its
 * owner's {@link Steps} one at a time while the output {@link ServletOutputStream#isReady() is
 * ready}. The owner keeps only its steps: what to write next. Modelled on the pattern of Jetty's
 * {@code IteratingCallback}: events only ask for an iteration; whoever finds the writer free
 * takes the role and loops (never recursing); an iteration asked for while a writer is active
 * makes that writer look once more, so no wake-up is lost.
 *
 * <p><b>Threads.</b> {@link #iterate()} writes on the calling thread (for callers that exist to
 * deliver: a container callback, a fan-out thread, a publisher's thread); {@link #dispatch()}
 * hands the role to the {@code container} executor (the servlet's {@link WriterThreads}, or the
 * response's {@code AsyncContext#start}) for
 * callers that must not do socket I/O (application threads, the timer). {@link #onWritePossible()}
 * and {@link #onError(Throwable)} are the container's. {@link #fail}, {@link #close()} and
 * {@link #stalled} may be called on any thread. Two threads never write at once: {@link Steps#step}
 * runs only on the thread holding the role. Writing never blocks: a step that finds the output not
 * ready is not called until the container's {@code onWritePossible}. The one wait: the
 * container's error callbacks ({@link #onError(Throwable)}, the {@link #endsWithResponse}
 * listener's error and timeout) return only once a step in progress on another thread has
 * returned (microseconds; 2 s at most), because the container completes and recycles the response
 * after them (Tomcat reuses its objects for the next request, so a write still in flight then
 * would land there, its broken pipe failing another browser's stream).
 *
 * <p><b>Failure</b> is sticky: the first one wins, later ones and later iterations are ignored.
 * The owner hears of it once, by {@link Steps#ended(Throwable)}: at once on the failing thread
 * when no writer is active, otherwise on the writer's thread as soon as its current step returns
 * (so the owner never completes a response that another thread is writing or is about to write
 * on a dispatched thread). A step that throws an {@link IOException} is an expected
 * disconnect (the owner logs it at DEBUG); anything else thrown by a step is logged here at WARN
 * unless the writer had already ended. Instances are thread-safe; one per response.
 */
public final class HeldWriter implements WriteListener {
    private static final Logger LOG = LoggerFactory.getLogger(HeldWriter.class);

    /** Where the writer is. Terminal states are {@link #COMPLETED} and {@link #FAILED}. */
    public enum State {
        /** Waiting for the container's {@code onWritePossible}: at first, and after {@code isReady()} was false. */
        WAITING,
        /** The output was ready and no step had anything to write; the next iteration takes the role. */
        IDLE,
        /** The role is taken and handed to the {@code container} executor, whose thread has not started yet. */
        DISPATCHED,
        /** One thread holds the role and runs steps. */
        WRITING,
        /** A step said the response is whole ({@link Steps#ended} was told, with null), or the owner closed the writer. */
        COMPLETED,
        /** Failed: a step threw, the container reported an error, or the owner failed it. */
        FAILED
    }

    /** What one step did. */
    public enum Result {
        /** It wrote or flushed something: the writer goes on while the output is ready. */
        WROTE,
        /** Nothing to write now: the writer rests until the next {@link #iterate} or {@link #dispatch}. */
        IDLE,
        /** The response is whole: the writer ends and tells {@link Steps#ended} with null. */
        DONE
    }

    /** The owner's side: what to write next, and how the response ends. */
    public interface Steps {
        /**
         * Writes the next piece, at most one {@code write} or {@code flush}. Called only by the
         * thread holding the writer role, with the output ready; must not block.
         */
        Result step(ServletOutputStream out) throws IOException;

        /**
         * The writer ended: {@code failure} is null after a step returned {@link Result#DONE}
         * (the owner completes the response), otherwise the first failure (the owner completes
         * it at once and releases what it holds). Called exactly once, on the thread that ended
         * the writer; not called after {@link #close()}. Must not block.
         */
        void ended(Throwable failure);
    }

    private final ServletOutputStream out;
    private final Executor container;
    private final Steps steps;
    private final Object what; // its toString names the response in logs: no string of its own per response
    // guarded by this
    private State state = State.WAITING;
    private boolean again;      // an iteration was asked for while the role was taken
    private boolean readyAgain; // onWritePossible came while the role was taken
    private Throwable failure;
    private long lastProgress = System.nanoTime();
    private Thread writing;     // the thread inside run(), touching the output

    /** How long a container's error callback waits for a step in progress on another thread. */
    private static final long AWAIT_WRITER_NANOS = TimeUnit.SECONDS.toNanos(2);

    /**
     * @param container runs a dispatched iteration (the servlet's {@link WriterThreads}, or
     *                  {@code asyncContext::start}); may throw when the response is gone or it stopped
     * @param what      names the response in logs by its {@code toString()} (read only when a log
     *                  line is written), e.g. {@code "a script stream"} or the owner itself
     */
    public HeldWriter(ServletOutputStream out, Executor container, Steps steps, Object what) {
        this.out = out;
        this.container = container;
        this.steps = steps;
        this.what = what;
    }

    /** Registers as the response's write listener; the container's first {@code onWritePossible} starts writing. */
    public void listen() {
        out.setWriteListener(this);
    }

    /** Asks for an iteration and, if the role is free, writes now on this thread. Never blocks. */
    public void iterate() {
        synchronized (this) {
            if (!claim()) return;
        }
        run();
    }

    /** Asks for an iteration and, if the role is free, hands it to the {@code container} executor. Never blocks. */
    public void dispatch() {
        synchronized (this) {
            if (!claim()) return;
            state = State.DISPATCHED;
        }
        try {
            container.execute(this::runDispatched);
        } catch (RuntimeException e) { // the response completed meanwhile, or the container is stopping
            Throwable cause;
            synchronized (this) {
                if (state == State.DISPATCHED) {
                    state = State.FAILED;
                    failure = e;
                } else if (state != State.FAILED) {
                    return; // closed meanwhile
                }
                cause = failure; // a failure that came meanwhile left the end to this dispatch
            }
            steps.ended(cause);
        }
    }

    /** Takes the role if it is free; else makes the active writer look once more. Under lock. */
    private boolean claim() {
        switch (state) {
            case IDLE:
                state = State.WRITING;
                return true;
            case WRITING:
            case DISPATCHED:
                again = true;
                return false;
            default: // WAITING: the resumed writer finds the work; terminal: nothing to do
                return false;
        }
    }

    /** Fails the writer (sticky; the first cause wins); the owner hears of it once by {@link Steps#ended}. Any thread. */
    public void fail(Throwable cause) {
        synchronized (this) {
            switch (state) {
                case COMPLETED:
                case FAILED:
                    return;
                case WRITING:
                case DISPATCHED: // the writer ends it once its step returns
                    state = State.FAILED;
                    failure = cause;
                    return;
                default:
                    state = State.FAILED;
                    failure = cause;
            }
        }
        steps.ended(cause);
    }

    /** Ends the writer quietly, the response having completed elsewhere: no more steps, no {@code ended}. Any thread. */
    public synchronized void close() {
        if (state != State.FAILED) state = State.COMPLETED;
    }

    /**
     * The {@link AsyncListener} that ends this writer with its response, for the owner to register
     * on its {@code AsyncContext}: a completed response closes the writer, then runs
     * {@code completed} (the owner's release); a timeout or an error fails the writer, and the owner
     * hears of it through {@link Steps#ended}. The container calls it.
     */
    public AsyncListener endsWithResponse(Runnable completed) {
        return new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                close();
                completed.run();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                failForContainer(new TimeoutException("async timeout"));
            }

            @Override
            public void onError(AsyncEvent event) {
                failForContainer(event.getThrowable());
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        };
    }

    /** True when the writer has waited for {@code onWritePossible} longer than {@code nanos}: a dead peer. Any thread. */
    public synchronized boolean stalled(long nanos) {
        return state == State.WAITING && System.nanoTime() - lastProgress > nanos;
    }

    /**
     * True when the writer is idle (the output ready, nothing to write) and has written nothing
     * for {@code nanos}: a liveness probe is due. Any thread.
     */
    public synchronized boolean quietFor(long nanos) {
        return state == State.IDLE && System.nanoTime() - lastProgress > nanos;
    }

    /** The state now; for tests and logs. */
    public synchronized State state() {
        return state;
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            lastProgress = System.nanoTime();
            if (state == State.WRITING || state == State.DISPATCHED) {
                readyAgain = true; // raced with a writer that saw isReady() false: it goes on
                return;
            }
            if (state != State.WAITING && state != State.IDLE) return;
            state = State.WRITING;
        }
        run();
    }

    @Override
    public void onError(Throwable t) {
        failForContainer(t);
    }

    /**
     * Fails the writer on a container's callback, then waits until no other thread is inside a
     * step or {@code isReady()} (2 s at most; a non-blocking step takes microseconds), so that the
     * container's completion, which follows, never races a write of ours.
     */
    private void failForContainer(Throwable cause) {
        fail(cause);
        synchronized (this) {
            long deadline = System.nanoTime() + AWAIT_WRITER_NANOS;
            while (writing != null && writing != Thread.currentThread()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.debug("{}: a step was still running when the container ended the response", what);
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void runDispatched() {
        synchronized (this) {
            if (state == State.DISPATCHED) state = State.WRITING;
        }
        run(); // a failure that came while dispatched is ended there
    }

    /** The loop of the thread holding the role; leaves when there is nothing to do or the output is not ready. */
    private void run() {
        Throwable thrown = null;
        boolean done = false;
        Thread previous;
        synchronized (this) {
            previous = writing; // a step's write may call back into the container on this thread
            writing = Thread.currentThread();
        }
        try {
            while (true) {
                synchronized (this) {
                    if (state != State.WRITING) break;
                    readyAgain = false;
                }
                if (!out.isReady()) { // the container calls onWritePossible once it is
                    synchronized (this) {
                        if (state != State.WRITING) break;
                        if (!readyAgain) {
                            state = State.WAITING;
                            return;
                        }
                    }
                    continue;
                }
                synchronized (this) {
                    if (state != State.WRITING) break;
                    again = false;
                    lastProgress = System.nanoTime();
                }
                Result r = steps.step(out);
                synchronized (this) {
                    if (state != State.WRITING) break;
                    if (r == Result.DONE) {
                        state = State.COMPLETED;
                        done = true;
                        break;
                    }
                    if (r == Result.IDLE && !again) {
                        state = State.IDLE;
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException | Error t) {
            thrown = t;
        } finally {
            synchronized (this) {
                writing = previous;
                notifyAll();
            }
        }
        Throwable cause;
        boolean unexpected = false;
        synchronized (this) {
            if (thrown != null && state == State.WRITING) {
                state = State.FAILED;
                failure = thrown;
                unexpected = !(thrown instanceof IOException);
            }
            if (state != State.FAILED && !done) return; // closed meanwhile
            cause = done ? null : failure;
        }
        if (unexpected) LOG.warn("unexpected failure writing {}", what, thrown);
        steps.ended(cause);
        if (thrown instanceof Error) throw (Error) thrown;
    }
}
