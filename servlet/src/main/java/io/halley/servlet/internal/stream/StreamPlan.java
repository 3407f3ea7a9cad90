package io.halley.servlet.internal.stream;

/**
 * What a {@link HeldStream} writes next: the work its events ask for (frames available, a
 * heartbeat due, an end) and its writer takes one {@link Step} at a time, in this order: the
 * opening bytes once; the frames; a heartbeat; the closing bytes once an end is asked for; a
 * flush after anything written; then completion. A probe (the format's ignored bytes) is written
 * only when nothing else is. An end by replacement, shutdown or rotation
 * drops pending frames and heartbeats (the next transport sends the rest); any other end (page
 * died, poll answered or timed out) writes what is pending first. Thread-safe: events on any
 * thread, {@link #next} on the writer's; nothing blocks.
 */
final class StreamPlan {

    /** One step of the writer. */
    enum Step { NONE, OPEN, FRAMES, HEARTBEAT, PROBE, END, FLUSH, COMPLETE }

    private final boolean singleShot;
    private final boolean heartbeats;
    // guarded by this
    private boolean opened;
    private boolean framesPending = true; // whatever the page holds after the resume point
    private boolean heartbeatPending;
    private boolean probePending;
    private boolean needFlush;
    private HeldStream.End end;
    private boolean endWritten;

    StreamPlan(FrameFormat format) {
        this.singleShot = format.singleShot();
        this.heartbeats = format.heartbeat() != null;
    }

    /** Frames are (or may be) available after what was sent. */
    synchronized void frames() {
        framesPending = true;
    }

    /** A heartbeat is due. */
    synchronized void heartbeat() {
        heartbeatPending = true;
    }

    /** A liveness probe is due (the stream was quiet): written unless something else is written first. */
    synchronized void probe() {
        probePending = true;
    }

    /** Something was written: a flush is due. */
    synchronized void wrote() {
        needFlush = true;
    }

    /** Asks for an end; false when one was asked for already (the first reason stays). */
    synchronized boolean end(HeldStream.End reason) {
        if (end != null) return false;
        end = reason;
        return true;
    }

    /** Why the stream ends, or null. */
    synchronized HeldStream.End end() {
        return end;
    }

    /**
     * The next step, consuming what asked for it; {@link Step#NONE} when there is nothing to do.
     *
     * @param answered whether frames were written already (a long-poll writes frames once)
     */
    synchronized Step next(boolean answered) {
        if (!opened) {
            opened = true;
            return Step.OPEN;
        }
        if (end == HeldStream.End.REPLACED || end == HeldStream.End.SHUTDOWN || end == HeldStream.End.ROTATED) {
            framesPending = false; // the next transport sends the rest
            heartbeatPending = false;
        }
        if (framesPending) {
            framesPending = false;
            if (!(singleShot && answered)) return Step.FRAMES;
        }
        if (heartbeatPending) {
            heartbeatPending = false;
            if (heartbeats) {
                probePending = false; // the heartbeat probes as well
                return Step.HEARTBEAT;
            }
        }
        if (probePending) {
            probePending = false;
            if (end == null && !needFlush) return Step.PROBE; // anything else written probes as well
        }
        if (end != null && !endWritten) {
            endWritten = true;
            return Step.END;
        }
        if (needFlush) {
            needFlush = false;
            return Step.FLUSH;
        }
        return end != null ? Step.COMPLETE : Step.NONE;
    }
}
