package io.halley.core.transport;

/**
 * A page's numbered frames as a transport reads them: the log of frames 1, 2, 3 … that the page
 * keeps in its replay buffer (bounded by {@code replayFrames} and {@code replayBytes}) so that a
 * transport that reconnects resumes from the last sequence it delivered.
 *
 * <p>Reading never consumes: a frame stays until the bounds evict it. Thread-safe; no method
 * blocks beyond a short lock.
 */
public interface FrameLog {

    /**
     * The frames after sequence {@code seq}, for a transport that has delivered up to {@code seq}.
     * A {@code seq} ahead of the last frame (a client of an older page incarnation) or behind the
     * replay buffer answers a resync followed by every buffered frame.
     *
     * @throws io.halley.core.HalleyException BAD_INPUT for a negative sequence
     */
    Replay since(long seq);

    /** The sequence of the last appended frame (0 before the first). */
    long lastSeq();

    /** Frames currently buffered. */
    int bufferedFrames();

    /** Bytes currently buffered (UTF-8 frame JSON plus a fixed envelope per frame). */
    long bufferedBytes();
}
