package io.halley.core.transport;

/**
 * One transport's attachment to a page, returned by {@link PageStreams#attach}: the page's
 * {@link FrameLog} to read from, and the hold that keeps the page alive.
 *
 * <p>While attached the page's lease does not run. {@link #detach()} (or the page replacing this
 * stream with a newer one) ends the hold; once no stream is attached the page's lease timer starts
 * and the page dies when it fires. Thread-safe; no method blocks beyond a short lock.
 */
public interface PageStream extends FrameLog {

    /** Whether this stream is still the page's attached one (not replaced, page not dead). */
    boolean isCurrent();

    /**
     * Ends this attachment. If it was still the attached one the page's lease timer starts; if a
     * newer stream replaced it, or the page died, this is a no-op. Idempotent; any thread.
     */
    void detach();
}
