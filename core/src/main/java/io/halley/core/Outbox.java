package io.halley.core;

import java.util.ArrayDeque;
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
 * <p><b>Consumer.</b> At most one {@link OutboxConsumer} is attached; attaching another detaches
 * the first ({@code detached(true)}). An append wakes the attached consumer; there is no polling.
 *
 * <p>Thread-safe: every method may be called from any thread and none blocks beyond a short lock.
 */
public final class Outbox {
    private final int maxFrames;
    private final long maxBytes;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private long bytes;
    private long lastSeq;
    private long evictedThrough;
    private OutboxConsumer consumer;
    private boolean closed;

    Outbox(int maxFrames, long maxBytes) {
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
    long append(byte[] commandsUtf8) {
        OutboxConsumer wake;
        long seq;
        synchronized (this) {
            if (closed) return -1;
            Frame f = new Frame(lastSeq + 1, commandsUtf8);
            if (f.weight() > maxBytes) {
                throw new HalleyException(HalleyException.Kind.TOO_LARGE, "frame of " + f.weight()
                        + " bytes exceeds the page's replay buffer of " + maxBytes + " (replayBytes)");
            }
            seq = lastSeq = f.seq();
            frames.addLast(f);
            bytes += f.weight();
            while (frames.size() > maxFrames || bytes > maxBytes) {
                Frame old = frames.removeFirst();
                bytes -= old.weight();
                evictedThrough = old.seq();
            }
            wake = consumer;
        }
        if (wake != null) wake.framesAvailable();
        return seq;
    }

    /** {@link #append(byte[])} of {@code commandsJson} encoded as UTF-8. */
    long append(String commandsJson) {
        return append(Frame.utf8(commandsJson));
    }

    /**
     * The frames after sequence {@code seq}, for a transport that has delivered up to {@code seq}.
     * A {@code seq} ahead of the last frame (a client of an older page incarnation) or behind the
     * replay buffer answers a resync followed by every buffered frame.
     *
     * @throws HalleyException BAD_INPUT for a negative sequence
     */
    public synchronized Replay since(long seq) {
        if (seq < 0) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "negative sequence: " + seq);
        boolean gap = seq < evictedThrough || seq > lastSeq;
        if (gap) {
            List<Frame> out = new ArrayList<>(frames.size() + 1);
            long lost = frames.isEmpty() ? lastSeq : frames.peekFirst().seq() - 1;
            out.add(new Frame(lost, Frame.utf8(Json.encodeCommands(List.of(new Command.Resync(lost))))));
            out.addAll(frames);
            return new Replay(true, lost, out);
        }
        if (seq == lastSeq) return new Replay(false, 0, List.of());
        // frames are consecutive: the last (lastSeq - seq) of them are the answer, so walk from
        // the tail instead of over the whole buffer (a hot path: every write of every stream)
        int n = (int) (lastSeq - seq);
        Frame[] tail = new Frame[n];
        java.util.Iterator<Frame> it = frames.descendingIterator();
        for (int i = n - 1; i >= 0; i--) tail[i] = it.next();
        return new Replay(false, 0, java.util.Arrays.asList(tail));
    }

    /** The sequence of the last appended frame (0 before the first). */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Frames currently buffered. */
    public synchronized int bufferedFrames() {
        return frames.size();
    }

    /** Bytes currently buffered (UTF-8 frame JSON). */
    public synchronized long bufferedBytes() {
        return bytes;
    }

    /**
     * Attaches {@code c} as the single consumer, detaching the previous one (which gets
     * {@code detached(true)} on this thread). Attaching to a closed outbox detaches {@code c} at once.
     *
     * @return the handle to detach {@code c} again
     */
    Attachment attach(OutboxConsumer c) {
        OutboxConsumer previous;
        boolean dead;
        synchronized (this) {
            dead = closed;
            previous = dead ? null : consumer;
            if (!dead) consumer = c;
        }
        if (previous != null) previous.detached(true);
        if (dead) c.detached(false);
        return new Attachment(this, c);
    }

    /** Detaches {@code c} if it is still the consumer; returns whether it was. */
    synchronized boolean detach(OutboxConsumer c) {
        if (consumer != c) return false;
        consumer = null;
        return true;
    }

    synchronized boolean isAttached() {
        return consumer != null;
    }

    /** Closes the outbox: no more appends; the consumer gets {@code detached(false)}. */
    void close() {
        OutboxConsumer c;
        synchronized (this) {
            if (closed) return;
            closed = true;
            c = consumer;
            consumer = null;
        }
        if (c != null) c.detached(false);
    }

    /** A consumer's hold on the outbox. */
    public static final class Attachment {
        private final Outbox outbox;
        private final OutboxConsumer consumer;

        Attachment(Outbox outbox, OutboxConsumer consumer) {
            this.outbox = outbox;
            this.consumer = consumer;
        }

        /** Whether this consumer is still the attached one. */
        public boolean isCurrent() {
            synchronized (outbox) {
                return outbox.consumer == consumer;
            }
        }

        OutboxConsumer consumer() {
            return consumer;
        }

        Outbox outbox() {
            return outbox;
        }
    }
}
