package io.halley.servlet.internal.stream;

import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.core.transport.Frame;
import io.halley.core.transport.FrameConsumer;
import io.halley.core.transport.PageStream;
import io.halley.core.transport.PageStreams;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One held request (SSE, iframe or long-poll) attached to a page's outbox: the consumer of the
 * outbox, the write listener of the response and the listener of its {@link AsyncContext}.
 *
 * <p><b>One writer.</b> Events only set flags under one small lock: frames available, a heartbeat
 * due, an end requested. Whoever finds no writer active claims the writer role and either writes
 * at once (a container {@code onWritePossible} callback, or one of Halley's fan-out threads, which
 * exist to deliver and hold no lock) or hands the work to the container's pool with
 * {@link AsyncContext#start} (a comet function flushing, a callback, the timer), so application
 * threads never do socket I/O and two threads never write at once. The writer loops
 * while there is work and the output {@link ServletOutputStream#isReady() is ready}: every frame
 * after {@code lastSent} ({@link PageStream#since}) in one batched write (about 256 KiB at most), then a
 * heartbeat, then a flush; when {@code isReady()} is false it leaves and the container's next
 * {@code onWritePossible} resumes (an {@code onWritePossible} that races with a writer leaving sets {@code retry}, so no
 * wake-up is lost). Nothing blocks; a slow client costs the frames buffered in its outbox, never a
 * thread.
 *
 * <p><b>Ends.</b> Replaced by another transport, page died (what is buffered is drained first),
 * iframe rotated, poll answered or timed out, servlet shut down: the writer writes the format's
 * closing bytes, flushes and completes the {@code AsyncContext}. A write failure, an async error
 * or a stalled output (no write progress for two heartbeats: a dead peer) completes it at once;
 * such failures are expected disconnects, logged at DEBUG. Either way the stream then leaves the
 * registry, its timers stop and the page is detached so that its lease starts.
 */
public final class HeldStream implements Held, FrameConsumer, WriteListener, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(HeldStream.class);

    /** Why a stream ends. */
    enum End { REPLACED, DIED, ROTATED, ANSWERED, TIMED_OUT, SHUTDOWN }

    private enum Step { NONE, OPEN, FRAMES, HEARTBEAT, END, FLUSH, COMPLETE }

    /** Bytes of frames per write at most (one frame at least), bounding a write's memory. */
    private static final long MAX_BATCH = 256 * 1024;

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final ServletOutputStream out;
    private final Page page;
    private final FrameFormat format;
    private final Connections registry;

    private final Object lock = this; // no object of its own: tens of thousands of streams are held
    // guarded by lock
    private boolean started;          // the container called onWritePossible once
    private boolean writing;          // a thread holds the writer role
    private boolean retry;            // onWritePossible came while a writer was active
    private boolean awaiting;         // the writer left because isReady() was false
    private long lastProgress = System.nanoTime();
    private boolean opened;
    private boolean framesPending = true;
    private boolean heartbeatPending;
    private boolean needFlush;
    private End end;
    private boolean endWritten;
    private boolean completed;
    private boolean finished;
    private PageStream attachment;
    private ScheduledFuture<?> timeout; // a long-poll's
    // owned by the writer
    private long lastSent;
    private long written;
    private boolean answered;

    HeldStream(AsyncContext async, HttpServletResponse response, Page page, FrameFormat format,
               Connections registry, long since) throws IOException {
        this.async = async;
        this.response = response;
        this.out = response.getOutputStream();
        this.page = page;
        this.format = format;
        this.registry = registry;
        this.lastSent = since;
    }

    /**
     * Starts the stream on the request's thread: registers the listeners, attaches to the page
     * (replacing its previous transport) and, for a long-poll, starts its timeout. Heartbeats
     * come from the servlet's sweep ({@link #heartbeatDue}).
     */
    void start(ScheduledExecutorService timer, Duration pollTimeout) {
        try {
            async.addListener(this);
            out.setWriteListener(this);
        } catch (RuntimeException e) {
            LOG.warn("cannot start a {} stream", format.name(), e);
            abort(e);
            return;
        }
        PageStream a;
        try {
            a = PageStreams.attach(page, this);
        } catch (HalleyException gone) { // the page died since the lookup
            detached(false);
            return;
        }
        boolean late;
        synchronized (lock) {
            attachment = a;
            late = finished;
        }
        if (late) { // ended while attaching: finish() ran without the attachment
            a.detach();
            return;
        }
        if (!format.singleShot()) return; // heartbeats come from the servlet's sweep (heartbeatDue)
        ScheduledFuture<?> pollTimer;
        try {
            pollTimer = timer.schedule(() -> requestEnd(End.TIMED_OUT), pollTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) { // the timer is shut down: the servlet is stopping
            abort(e);
            return;
        }
        synchronized (lock) {
            late = finished;
            if (!late) timeout = pollTimer;
        }
        if (late) pollTimer.cancel(false);
    }

    // ---- events (any thread) ----------------------------------------------------------------

    @Override
    public void framesAvailable() {
        if (framesPendingClaimed()) dispatch();
    }

    /**
     * On a Halley fan-out thread: takes the writer role if it is free and writes at once on this
     * thread (non-blocking; it leaves when the output is not ready), saving a hand-off to the
     * container's pool per page of a large fan-out.
     */
    @Override
    public void framesAvailableOnFanOut() {
        if (framesPendingClaimed()) drain();
    }

    /** Marks frames pending; true when this thread took the writer role and must write. */
    private boolean framesPendingClaimed() {
        synchronized (lock) {
            if (completed) return false;
            framesPending = true;
            return claim();
        }
    }

    @Override
    public void detached(boolean replaced) {
        synchronized (lock) {
            if (!replaced) framesPending = true; // drain what the page flushed before it died
        }
        requestEnd(replaced ? End.REPLACED : End.DIED);
    }

    /** Ends the stream as the servlet shuts down. */
    @Override
    public void shutdown() {
        requestEnd(End.SHUTDOWN);
    }

    private void requestEnd(End reason) {
        synchronized (lock) {
            if (completed || end != null) return;
            end = reason;
            if (!claim()) return;
        }
        dispatch();
    }

    /** The servlet's heartbeat sweep: a heartbeat is due, or the stream ends if its output stalled. */
    @Override
    public void heartbeatDue(long heartbeatNanos) {
        if (format.heartbeat() == null) return;
        boolean stalled;
        synchronized (lock) {
            if (completed) return;
            stalled = awaiting && System.nanoTime() - lastProgress > 2 * heartbeatNanos;
            if (!stalled) {
                heartbeatPending = true;
                if (!claim()) return;
            }
        }
        if (stalled) abort(new IOException("no write progress for two heartbeats"));
        else dispatch();
    }

    /** Takes the writer role if it is free and the container has started writing; under lock. */
    private boolean claim() {
        if (!started || writing) return false;
        writing = true;
        return true;
    }

    private void dispatch() {
        try {
            async.start(this::drain);
        } catch (RuntimeException e) { // completed meanwhile, or the container is stopping
            abort(e);
        }
    }

    // ---- container callbacks ----------------------------------------------------------------

    @Override
    public void onWritePossible() {
        synchronized (lock) {
            started = true;
            awaiting = false;
            lastProgress = System.nanoTime();
            if (writing) {
                retry = true;
                return;
            }
            if (completed) return;
            writing = true;
        }
        drain();
    }

    @Override
    public void onError(Throwable t) {
        abort(t);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        abort(new TimeoutException("async timeout"));
    }

    @Override
    public void onError(AsyncEvent event) {
        abort(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    // ---- the writer -------------------------------------------------------------------------

    /** Runs with the writer role held; gives it back when done or when the output is not ready. */
    private void drain() {
        try {
            while (true) {
                synchronized (lock) {
                    retry = false;
                    if (completed || !hasWork()) {
                        writing = false;
                        return;
                    }
                }
                if (!out.isReady()) {
                    synchronized (lock) {
                        if (!retry) {
                            writing = false;
                            awaiting = true;
                            return;
                        }
                    }
                    continue;
                }
                Step step;
                End reason;
                synchronized (lock) {
                    awaiting = false;
                    lastProgress = System.nanoTime();
                    step = next();
                    reason = end;
                }
                perform(step, reason);
            }
        } catch (IOException | RuntimeException | Error t) {
            boolean expected;
            synchronized (lock) {
                expected = completed || t instanceof IOException;
            }
            if (!expected) LOG.warn("unexpected failure writing a {} stream", format.name(), t);
            abort(t);
            if (t instanceof Error) throw (Error) t;
        }
    }

    private boolean hasWork() {
        return !opened || framesPending || heartbeatPending || needFlush || end != null;
    }

    /** The next step; consumes its flag. Under lock, by the writer. */
    private Step next() {
        if (!opened) {
            opened = true;
            return Step.OPEN;
        }
        if (end == End.REPLACED || end == End.SHUTDOWN || end == End.ROTATED) { // the next transport sends the rest
            framesPending = false;
            heartbeatPending = false;
        }
        if (framesPending) {
            framesPending = false;
            if (!(format.singleShot() && answered)) return Step.FRAMES;
        }
        if (heartbeatPending) {
            heartbeatPending = false;
            if (format.heartbeat() != null) return Step.HEARTBEAT;
        }
        if (end != null && !endWritten) {
            endWritten = true;
            return Step.END;
        }
        if (needFlush) {
            needFlush = false;
            return Step.FLUSH;
        }
        if (end != null) {
            completed = true;
            return Step.COMPLETE;
        }
        return Step.NONE;
    }

    private void perform(Step step, End reason) throws IOException {
        switch (step) {
            case OPEN:
                write(format.open());
                break;
            case FRAMES:
                List<Frame> frames = PageStreams.frames(page).since(lastSent).frames();
                if (!frames.isEmpty()) {
                    int n = batchSize(frames);
                    write(format.frames(n == frames.size() ? frames : frames.subList(0, n)));
                    lastSent = frames.get(n - 1).seq();
                    answered = true;
                    if (format.singleShot()) {
                        requestEnd(End.ANSWERED);
                    } else if (n < frames.size()) {
                        synchronized (lock) {
                            framesPending = true;
                        }
                    }
                }
                break;
            case HEARTBEAT:
                write(format.heartbeat());
                break;
            case END:
                write(format.end(reason, answered, response));
                break;
            case FLUSH:
                out.flush();
                break;
            case COMPLETE:
                async.complete();
                finish();
                break;
            default:
                break;
        }
    }

    /** How many frames go in one write: about {@link #MAX_BATCH} bytes, or what is left of the budget. */
    private int batchSize(List<Frame> frames) {
        long limit = Math.max(1, Math.min(MAX_BATCH, format.budget() - written));
        long size = 0;
        int n = 0;
        for (Frame f : frames) {
            size += f.commandsLength() + 96;
            n++;
            if (size >= limit) break;
        }
        return n;
    }

    private void write(byte[] bytes) throws IOException {
        if (bytes.length == 0) return;
        out.write(bytes);
        written += bytes.length;
        synchronized (lock) {
            needFlush = true;
        }
        if (written >= format.budget()) requestEnd(End.ROTATED);
    }

    // ---- teardown ---------------------------------------------------------------------------

    /** Completes at once after a failure (expected: the client went away). Any thread. */
    private void abort(Throwable cause) {
        boolean first;
        synchronized (lock) {
            first = !completed;
            completed = true;
        }
        if (first) {
            LOG.debug("{} stream of {} ended: {}", format.name(), page, String.valueOf(cause));
            try {
                async.complete();
            } catch (RuntimeException e) {
                LOG.debug("completing a failed stream: {}", e.toString());
            }
        }
        finish();
    }

    /** Releases everything once: timers, registry slot, attachment (starting the lease). */
    private void finish() {
        PageStream a;
        ScheduledFuture<?> t;
        synchronized (lock) {
            if (finished) return;
            finished = true;
            completed = true;
            a = attachment;
            t = timeout;
            timeout = null;
        }
        if (t != null) t.cancel(false);
        registry.remove(this);
        if (a != null) a.detach();
    }
}
