package io.halley.core.internal;

import io.halley.core.HalleyException;
import io.halley.core.command.Command;
import io.halley.core.transport.Frame;
import io.halley.core.transport.FrameConsumer;
import io.halley.core.transport.FrameLog;
import io.halley.core.transport.PageStream;
import io.halley.core.transport.Replay;
import java.util.ArrayList;
import java.util.List;

/**
 * A page's accumulator (Nitrogen's term): an ordered log of frames numbered 1, 2, 3 …, kept in a
 * replay buffer bounded by frame count and by size so that a transport that reconnects resumes
 * from the last sequence it saw.
 *
 * <p><b>Bounds.</b> When appending pushes the buffer past either bound the oldest frames are
 * evicted; a later {@link #since(long)} that asks for an evicted frame answers a resync. A single
 * frame larger than the size bound is refused with {@link HalleyException.Kind#TOO_LARGE} and
 * nothing is appended. Nothing accepted is lost while within the bounds.
 *
 * <p><b>Consumer.</b> At most one {@link FrameConsumer} is attached ({@link #attach}, for the
 * page, which hands the transport the returned {@link PageStream}); attaching another detaches
 * the first ({@code detached(true)}). An append wakes the attached consumer; there is no polling.
 *
 * <p>Internal: the page owns its outbox; transports see it only as a {@link FrameLog} and a
 * {@link PageStream}. Thread-safe: every method may be called from any thread and none blocks
 * beyond a short lock.
 */
public final class Outbox implements FrameLog {
    private final int maxFrames;
    private final long maxBytes;
    /** Shared by every outbox that never had a frame (most idle pages): read, never written. */
    private static final FrameRing NONE_YET = new FrameRing();
    private FrameRing frames = NONE_YET;
    private long bytes;
    private long lastSeq;
    private long evictedThrough;
    private FrameConsumer consumer;
    private boolean closed;

    public Outbox(int maxFrames, long maxBytes) {
        if (maxFrames < 1) throw new IllegalArgumentException("maxFrames must be >= 1: " + maxFrames);
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be >= 1: " + maxBytes);
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends one frame with the given encoded commands (a UTF-8 JSON array from
     * {@link Json#encodeCommands}, possibly shared with other pages' frames and never modified)
     * and wakes the consumer.
     *
     * @return the new frame's sequence, or -1 if the outbox is closed (its page died)
     * @throws HalleyException TOO_LARGE if the frame alone exceeds the size bound
     */
    public long append(byte[] commandsUtf8) {
        return append(commandsUtf8, false);
    }

    /**
     * {@link #append(byte[])} from a fan-out thread when {@code fanOut}: the consumer is woken
     * with {@link FrameConsumer#framesAvailableOnFanOut()}.
     */
    public long append(byte[] commandsUtf8, boolean fanOut) {
        FrameConsumer wake;
        long seq;
        synchronized (this) {
            if (closed) return -1;
            int weight = weight(commandsUtf8);
            if (weight > maxBytes) {
                throw new HalleyException(HalleyException.Kind.TOO_LARGE, "frame of " + weight
                        + " bytes exceeds the page's replay buffer of " + maxBytes + " (replayBytes)");
            }
            seq = ++lastSeq;
            if (frames == NONE_YET) frames = new FrameRing();
            frames.addLast(commandsUtf8);
            bytes += weight;
            while (frames.size() > maxFrames || bytes > maxBytes) {
                bytes -= weight(frames.removeFirst());
                evictedThrough = lastSeq - frames.size();
            }
            wake = consumer;
        }
        if (wake != null) {
            if (fanOut) wake.framesAvailableOnFanOut();
            else wake.framesAvailable();
        }
        return seq;
    }

    /** {@link #append(byte[])} of {@code commandsJson} encoded as UTF-8. */
    public long append(String commandsJson) {
        return append(Json.utf8(commandsJson));
    }

    /**
     * The frames after sequence {@code seq}, for a transport that has delivered up to {@code seq}.
     * A {@code seq} ahead of the last frame (a client of an older page incarnation) or behind the
     * replay buffer answers a resync followed by every buffered frame.
     *
     * @throws HalleyException BAD_INPUT for a negative sequence
     */
    @Override
    public synchronized Replay since(long seq) {
        if (seq < 0) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "negative sequence: " + seq);
        boolean gap = seq < evictedThrough || seq > lastSeq;
        if (gap) {
            List<Frame> out = new ArrayList<>(frames.size() + 1);
            long lost = lastSeq - frames.size();
            out.add(new Frame(lost, Json.utf8(Json.encodeCommands(List.of(new Command.Resync(lost))))));
            for (int i = 0; i < frames.size(); i++) out.add(new Frame(lost + 1 + i, frames.get(i)));
            return new Replay(true, lost, out);
        }
        if (seq == lastSeq) return new Replay(false, 0, List.of());
        // frames are consecutive: the last (lastSeq - seq) of them are the answer, so walk from
        // the tail instead of over the whole buffer (a hot path: every write of every stream)
        int n = (int) (lastSeq - seq);
        int first = frames.size() - n;
        if (n == 1) return new Replay(false, 0, List.of(new Frame(lastSeq, frames.get(first)))); // the usual case: one new frame
        Frame[] tail = new Frame[n];
        for (int i = 0; i < n; i++) tail[i] = new Frame(seq + 1 + i, frames.get(first + i));
        return new Replay(false, 0, List.of(tail));
    }

    /** The sequence of the last appended frame (0 before the first). */
    @Override
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Frames currently buffered. */
    @Override
    public synchronized int bufferedFrames() {
        return frames.size();
    }

    /** Bytes currently buffered (UTF-8 frame JSON). */
    @Override
    public synchronized long bufferedBytes() {
        return bytes;
    }

    /**
     * Attaches {@code c} as the single consumer, detaching the previous one (which gets
     * {@code detached(true)} on this thread). Attaching to a closed outbox detaches {@code c} at once.
     *
     * @param onDetached run when the returned stream's {@code detach()} ends the current
     *                   attachment (the page starts its lease); not run for a replaced one
     * @return the stream the transport reads from and detaches
     */
    public PageStream attach(FrameConsumer c, Runnable onDetached) {
        FrameConsumer previous;
        boolean dead;
        synchronized (this) {
            dead = closed;
            previous = dead ? null : consumer;
            if (!dead) consumer = c;
        }
        if (previous != null) previous.detached(true);
        if (dead) c.detached(false);
        return new Attachment(c, onDetached);
    }

    /** Detaches {@code c} if it is still the consumer; returns whether it was. */
    private synchronized boolean detach(FrameConsumer c) {
        if (consumer != c) return false;
        consumer = null;
        return true;
    }

    /** Whether a consumer is attached. */
    public synchronized boolean isAttached() {
        return consumer != null;
    }

    /** Closes the outbox: no more appends; the consumer gets {@code detached(false)}. Idempotent. */
    public void close() {
        FrameConsumer c;
        synchronized (this) {
            if (closed) return;
            closed = true;
            c = consumer;
            consumer = null;
        }
        if (c != null) c.detached(false);
    }

    /** The accounting size of a frame of {@code commandsUtf8}: the shared bytes plus the envelope. */
    static int weight(byte[] commandsUtf8) {
        return commandsUtf8.length + 24;
    }

    /** A consumer's hold on the outbox, as the transport sees it. */
    private final class Attachment implements PageStream {
        private final FrameConsumer consumer;
        private final Runnable onDetached;

        Attachment(FrameConsumer consumer, Runnable onDetached) {
            this.consumer = consumer;
            this.onDetached = onDetached;
        }

        @Override
        public boolean isCurrent() {
            synchronized (Outbox.this) {
                return Outbox.this.consumer == consumer;
            }
        }

        @Override
        public void detach() {
            if (Outbox.this.detach(consumer)) onDetached.run();
        }

        @Override
        public Replay since(long seq) {
            return Outbox.this.since(seq);
        }

        @Override
        public long lastSeq() {
            return Outbox.this.lastSeq();
        }

        @Override
        public int bufferedFrames() {
            return Outbox.this.bufferedFrames();
        }

        @Override
        public long bufferedBytes() {
            return Outbox.this.bufferedBytes();
        }
    }
}
