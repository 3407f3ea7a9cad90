package io.halley.core;

/**
 * The transport attached to an {@link Outbox}. At most one is attached at a time.
 *
 * <p>Both methods are called on the thread that caused the event (a function flushing, a channel
 * publisher, a second transport attaching, the lease timer), never under the outbox's lock. They
 * must not block: a transport records the signal and writes with non-blocking I/O.
 */
public interface OutboxConsumer {

    /** New frames were appended: read them with {@link Outbox#since(long)}. */
    void framesAvailable();

    /**
     * This consumer is no longer attached: another transport replaced it ({@code replaced} true)
     * or the page died ({@code replaced} false). The transport closes its response cleanly.
     */
    void detached(boolean replaced);
}
