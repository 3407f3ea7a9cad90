package io.halley.core.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one transport ({@code sse}, {@code iframe}, {@code poll}, {@code comet} …), from
 * {@link HalleyMetrics#transport}: streams held now, frames and bytes written, frames replayed,
 * resyncs sent and slow consumers dropped, each a meter tagged {@code transport=<name>}.
 *
 * <p>The recording methods are for Halley's transports and for transport writers; each is one
 * {@link LongAdder} addition (no lock), so a transport calls them on its hot path. Any thread.
 */
public final class TransportMeters {
    private final String transport;
    private final LongAdder held = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder resyncs = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    TransportMeters(String transport) {
        this.transport = transport;
    }

    /** The transport's name, the value of the {@code transport} tag. */
    public String transport() {
        return transport;
    }

    // ---- recording -----------------------------------------------------------------------------

    /** A stream of this transport is held now (call {@link #streamClosed()} once when it ends). */
    public void streamOpened() {
        held.increment();
    }

    /** A stream counted by {@link #streamOpened()} ended. */
    public void streamClosed() {
        held.decrement();
    }

    /** {@code n} frames went out in one write. */
    public void wroteFrames(int n) {
        frames.add(n);
    }

    /** {@code n} bytes went to the wire (frames, padding, heartbeats: everything written). */
    public void wroteBytes(long n) {
        bytes.add(n);
    }

    /** {@code n} of the frames written came from the replay buffer for a stream that resumed. */
    public void replayedFrames(int n) {
        replayed.add(n);
    }

    /** A resync went to a client whose resume point was no longer buffered. */
    public void sentResync() {
        resyncs.increment();
    }

    /** A stream was ended because its reader did not keep up (a stalled output, an overflowing buffer). */
    public void droppedSlowConsumer() {
        dropped.increment();
    }

    // ---- reading -------------------------------------------------------------------------------

    /** Streams held now. */
    public long heldStreams() {
        return held.sum();
    }

    public long framesWritten() {
        return frames.sum();
    }

    public long bytesWritten() {
        return bytes.sum();
    }

    public long framesReplayed() {
        return replayed.sum();
    }

    public long resyncs() {
        return resyncs.sum();
    }

    public long slowConsumersDropped() {
        return dropped.sum();
    }
}
