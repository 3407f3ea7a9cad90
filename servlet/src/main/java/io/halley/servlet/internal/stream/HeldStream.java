package io.halley.servlet.internal.stream;

import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.core.metrics.TransportMeters;
import io.halley.core.transport.Frame;
import io.halley.core.transport.FrameConsumer;
import io.halley.core.transport.PageStream;
import io.halley.core.transport.PageStreams;
import io.halley.core.transport.Replay;
import io.halley.servlet.internal.HeldWriter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One held request (SSE, iframe or long-poll) attached to a page's outbox: the consumer of the
 * outbox and the listener of its {@link AsyncContext}; its {@link HeldWriter} writes it.
 *
 * <p><b>Steps.</b> Events only set flags under this object's lock (frames available, a heartbeat
 * due, an end requested) and ask the writer for an iteration: at once on a Halley fan-out thread
 * (which exists to deliver), on the servlet's writer threads for everything else (a comet function
 * flushing, a callback, the timer), so application threads never do socket I/O. Each
 * {@link #step} then writes what comes next: the format's opening bytes; every frame after
 * {@code lastSent} ({@link PageStream#since}) in one batched write (about 256 KiB at most); a heartbeat;
 * the closing bytes; a flush; and at the end, completion. Nothing blocks; a slow client costs the
 * frames buffered in its outbox, never a thread.
 *
 * <p><b>Ends.</b> Replaced by another transport, page died (what is buffered is drained first),
 * iframe rotated, poll answered or timed out, servlet shut down: the format's closing bytes, a
 * flush, then the {@code AsyncContext} completes. A write failure, an async error or a stalled
 * output (no write progress for two heartbeats: a dead peer) completes it at once; such failures
 * are expected disconnects, logged at DEBUG. An HTTP/1.1 container does not read a held GET
 * (its body is read whole), so a reset connection is noticed only by a write: the servlet's probe
 * sweep ({@link #probeDue}) writes a few ignored bytes to every stream quiet for a
 * {@code probeInterval}, so that such a stream ends within about that long. Either way the
 * stream then leaves the registry and the page is detached so that its lease starts.
 */
public final class HeldStream implements Held, FrameConsumer, HeldWriter.Steps {
    private static final Logger LOG = LoggerFactory.getLogger(HeldStream.class);

    /** Why a stream ends. */
    enum End { REPLACED, DIED, ROTATED, ANSWERED, TIMED_OUT, SHUTDOWN }

    /** Bytes of frames per write at most (one frame at least), bounding a write's memory. */
    private static final long MAX_BATCH = 256 * 1024;

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final Page page;
    private final FrameFormat format;
    private final Connections registry;
    private final HeldWriter writer;
    private final StreamPlan plan;
    private final TransportMeters meters;
    private final long resumedFrom;
    private final BrowserBudget.Ticket ticket;

    private final Object lock = this; // no object of its own: tens of thousands of streams are held
    // guarded by lock
    private boolean finished;
    private PageStream attachment;
    private volatile long pollDeadline; // a long-poll's, System.nanoTime(); 0 while there is none (expireIfDue)
    // owned by the writer
    private long lastSent;
    private long written;
    private boolean answered;
    private long replayThrough; // frames up to this one, after resumedFrom, count as replayed
    private boolean droppedSlow; // the sweep's (one timer thread)

    HeldStream(AsyncContext async, HttpServletResponse response, Page page, FrameFormat format,
               Connections registry, long since, java.util.concurrent.Executor writers, BrowserBudget.Ticket ticket,
               TransportMeters meters) throws IOException {
        this.ticket = ticket;
        this.meters = meters;
        this.resumedFrom = since;
        this.async = async;
        this.response = response;
        this.page = page;
        this.format = format;
        this.registry = registry;
        this.lastSent = since;
        this.plan = new StreamPlan(format);
        this.writer = new HeldWriter(response.getOutputStream(), writers, this, this);
    }

    /**
     * Starts the stream on the request's thread: registers the listeners, attaches to the page
     * (replacing its previous transport) and, for a long-poll, sets its deadline. Heartbeats
     * come from the servlet's sweep ({@link #heartbeatDue}), the poll's timeout from its deadline
     * sweep ({@link #expireIfDue}).
     */
    void start(Duration pollTimeout) {
        meters.streamOpened(); // finish() closes it, whichever way the stream ends
        // a streaming transport resuming: what the page buffered meanwhile is a replay (read before
        // attaching, so the writer, which runs only once attached, sees it)
        if (resumedFrom > 0 && !format.singleShot()) replayThrough = PageStreams.frames(page).lastSeq();
        try {
            async.addListener(writer.endsWithResponse(this::finish));
            writer.listen();
        } catch (RuntimeException e) {
            LOG.warn("cannot start a {} stream", format.name(), e);
            writer.fail(e);
            return;
        }
        PageStream a = attach();
        if (a == null) return;
        boolean late;
        synchronized (lock) {
            attachment = a;
            late = finished;
        }
        if (late) { // ended while attaching: finish() ran without the attachment
            detach(a);
            return;
        }
        if (format.singleShot()) pollDeadline = deadlineOf(System.nanoTime() + pollTimeout.toNanos());
    }

    private static long deadlineOf(long nanos) {
        return nanos == 0 ? 1 : nanos; // 0 means none
    }

    // ---- the page: every call of core's transport API is in these three methods ---------------

    /** Attaches to the page; null (the stream ending) when the page died since the lookup. */
    private PageStream attach() {
        try {
            return PageStreams.attach(page, this);
        } catch (HalleyException gone) {
            detached(false);
            return null;
        }
    }

    /** Detaches from the page: its lease starts. */
    private void detach(PageStream a) {
        a.detach();
    }

    /** The frames after {@code seq}, in order (a resync first when {@code seq} is no longer buffered). */
    private Replay framesAfter(long seq) {
        return PageStreams.frames(page).since(seq);
    }

    // ---- events (any thread) ----------------------------------------------------------------

    @Override
    public void framesAvailable() {
        if (markFramesPending()) writer.dispatch();
    }

    /** On a Halley fan-out thread: writes at once on this thread if the writer is free (non-blocking). */
    @Override
    public void framesAvailableOnFanOut() {
        if (markFramesPending()) writer.iterate();
    }

    private boolean markFramesPending() {
        synchronized (lock) {
            if (finished) return false;
        }
        plan.frames();
        return true;
    }

    @Override
    public void detached(boolean replaced) {
        if (!replaced) plan.frames(); // drain what the page flushed before it died
        requestEnd(replaced ? End.REPLACED : End.DIED);
    }

    /** Ends the stream as the servlet shuts down. */
    @Override
    public void shutdown() {
        requestEnd(End.SHUTDOWN);
    }

    private void requestEnd(End reason) {
        synchronized (lock) {
            if (finished) return;
        }
        LOG.debug("{} stream of {} ends: {}", format.name(), page, reason);
        if (plan.end(reason)) writer.dispatch();
    }

    /** The servlet's heartbeat sweep: a heartbeat is due, or the stream ends if its output stalled. */
    @Override
    public void heartbeatDue(long heartbeatNanos) {
        if (format.heartbeat() == null) return;
        if (writer.stalled(2 * heartbeatNanos)) {
            if (!droppedSlow) meters.droppedSlowConsumer(); // once, should a sweep come before the end
            droppedSlow = true;
            writer.fail(new IOException("no write progress for two heartbeats"));
            return;
        }
        synchronized (lock) {
            if (finished) return;
        }
        plan.heartbeat();
        writer.dispatch();
    }

    /**
     * The servlet's probe sweep: when nothing was written for {@code quietNanos}, writes the
     * format's probe bytes, so that a peer that reset the connection is noticed now (the write
     * fails) rather than at the next heartbeat. A long-poll has no probe.
     */
    @Override
    public void probeDue(long quietNanos) {
        if (format.probe() == null || !writer.quietFor(quietNanos)) return;
        synchronized (lock) {
            if (finished) return;
        }
        plan.probe();
        writer.dispatch();
    }


    /** The servlet's deadline sweep: a long-poll past its deadline is answered {@code {"frames":[]}}. */
    @Override
    public void expireIfDue(long nowNanos) {
        long d = pollDeadline;
        if (d == 0 || nowNanos - d < 0) return;
        pollDeadline = 0;
        requestEnd(End.TIMED_OUT);
    }

    // ---- the steps (the writer's thread) ----------------------------------------------------

    @Override
    public HeldWriter.Result step(ServletOutputStream out) throws IOException {
        switch (plan.next(answered)) {
            case OPEN:
                write(out, format.open());
                return HeldWriter.Result.WROTE;
            case FRAMES:
                writeFrames(out);
                return HeldWriter.Result.WROTE;
            case HEARTBEAT:
                write(out, format.heartbeat());
                return HeldWriter.Result.WROTE;
            case PROBE:
                write(out, format.probe());
                return HeldWriter.Result.WROTE;
            case END:
                write(out, format.end(plan.end(), answered, response));
                return HeldWriter.Result.WROTE;
            case FLUSH:
                out.flush();
                return HeldWriter.Result.WROTE;
            case COMPLETE:
                return HeldWriter.Result.DONE;
            default:
                return HeldWriter.Result.IDLE;
        }
    }

    private void writeFrames(ServletOutputStream out) throws IOException {
        Replay replay = framesAfter(lastSent);
        List<Frame> frames = replay.frames();
        if (frames.isEmpty()) return;
        int n = batchSize(frames);
        write(out, format.frames(n == frames.size() ? frames : frames.subList(0, n)));
        count(replay, n);
        lastSent = frames.get(n - 1).seq();
        answered = true;
        if (format.singleShot()) {
            requestEnd(End.ANSWERED);
        } else if (n < frames.size()) {
            plan.frames();
        }
    }

    /** Records the first {@code n} frames of {@code replay} as written; a resync frame counts as a resync, never as replayed. */
    private void count(Replay replay, int n) {
        List<Frame> frames = replay.frames();
        int first = replay.resync() ? 1 : 0;
        if (replay.resync()) meters.sentResync();
        meters.wroteFrames(n);
        if (replayThrough <= lastSent) return;
        int replayed = 0;
        for (int i = first; i < n; i++) if (frames.get(i).seq() <= replayThrough) replayed++;
        if (replayed > 0) meters.replayedFrames(replayed);
    }

    /** How many frames go in one write: about {@link #MAX_BATCH} bytes, or what is left of the budget. */
    private int batchSize(List<Frame> frames) {
        long limit = Math.max(1, Math.min(MAX_BATCH, format.budget() - written));
        long size = 0;
        int n = 0;
        for (int i = 0; i < frames.size(); i++) { // indexed: no iterator per delivery
            size += frames.get(i).commandsLength() + 96;
            n++;
            if (size >= limit) break;
        }
        return n;
    }

    private void write(ServletOutputStream out, byte[] bytes) throws IOException {
        if (bytes.length == 0) return;
        // a long-poll's answer is one write: with its length declared it is sent unchunked, with
        // the headers, as the response's last write (one socket write where a chunked answer and
        // its terminating chunk took two)
        if (format.singleShot() && written == 0 && !response.isCommitted()) response.setContentLength(bytes.length);
        out.write(bytes);
        meters.wroteBytes(bytes.length);
        written += bytes.length;
        plan.wrote();
        if (written >= format.budget()) requestEnd(End.ROTATED);
    }

    // ---- teardown ---------------------------------------------------------------------------

    /**
     * The writer ended: completes the response (after a failure at once: an expected disconnect,
     * logged at DEBUG) and releases everything. On the thread that ended the writer.
     */
    @Override
    public void ended(Throwable failure) {
        if (failure != null) LOG.debug("{} stream of {} ended: {}", format.name(), page, String.valueOf(failure));
        try {
            async.complete();
        } catch (RuntimeException e) {
            LOG.debug("completing a {} stream: {}", format.name(), e.toString());
        }
        finish();
    }

    /**
     * Releases everything once: the registry slot (and with it the deadline sweep), the budget
     * ticket, the attachment (starting the lease).
     */
    private void finish() {
        PageStream a;
        synchronized (lock) {
            if (finished) return;
            finished = true;
            meters.streamClosed();
            a = attachment;
        }
        registry.remove(this);
        ticket.release();
        if (a != null) detach(a);
    }

    /** Names the stream in logs: {@code a sse stream of page <id>}. */
    @Override
    public String toString() {
        return "a " + format.name() + " stream of page " + page.id();
    }
}
