package io.halley.core.transport;

import io.halley.core.command.Command;
import java.util.List;

/**
 * The answer of {@link FrameLog#since(long)}: the frames after the asked sequence, in order. When
 * some of them fell off the replay buffer, {@link #frames()} starts with a synthetic resync frame
 * (sequence {@code lostThrough}, one {@link Command.Resync} command) so that a client learns of
 * the gap and is never silently shorted.
 *
 * @param resync      whether frames were lost
 * @param lostThrough the last lost sequence when {@code resync}, else 0
 * @param frames      the frames to deliver, in order; never null
 */
public record Replay(boolean resync, long lostThrough, List<Frame> frames) {
    /**
     * {@code frames} is kept unmodifiable: {@link List#copyOf}, which keeps a list that is
     * unmodifiable already (the outbox's {@code List.of}) as it is, so a replay read on every
     * delivery costs no wrapper.
     */
    public Replay {
        frames = List.copyOf(java.util.Objects.requireNonNull(frames, "frames"));
    }

    /** The sequence of the last frame in this replay, or {@code after} when it is empty. */
    public long lastSeq(long after) {
        return frames.isEmpty() ? after : frames.get(frames.size() - 1).seq();
    }
}
