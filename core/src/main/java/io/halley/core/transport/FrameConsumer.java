package io.halley.core.transport;

/**
 * A transport's receiving end, attached to a page with {@link PageStreams#attach}. At most one is
 * attached to a page at a time.
 *
 * <p>Every method is called on the thread that caused the event (a function flushing, a channel
 * publisher or fan-out thread, a second transport attaching, the lease timer), never under the
 * page's locks. None may block: a transport records the signal and writes with non-blocking I/O.
 */
public interface FrameConsumer {

    /** New frames were appended: read them with {@link PageStream#since(long)}. */
    void framesAvailable();

    /**
     * New frames were appended by one of Halley's fan-out threads ({@code halley-fanout-N}),
     * which holds no lock and exists to deliver: the transport may do its non-blocking write on
     * this thread instead of handing it to another one (a fan-out to 10,000 pages then costs no
     * thread hand-off per page). The default treats it as {@link #framesAvailable()}.
     */
    default void framesAvailableOnFanOut() {
        framesAvailable();
    }

    /**
     * This consumer is no longer attached: another transport replaced it ({@code replaced} true)
     * or the page died ({@code replaced} false). The transport closes its response cleanly.
     */
    void detached(boolean replaced);
}
