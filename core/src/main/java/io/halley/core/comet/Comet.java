package io.halley.core.comet;

import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.core.PageDiedException;
import io.halley.core.command.Commands;
import java.time.Duration;

/**
 * A running comet function's handle on the world, passed to {@link CometFunction#run(Comet)}.
 *
 * <p>Used by the function's own thread only (not thread-safe). Commands queued with the
 * {@link Commands} methods reach the browser as one frame on {@link #flush()}; what is queued when
 * the function returns is flushed for it.
 */
public interface Comet extends Commands<Comet> {

    /**
     * Ships the queued commands as one frame to the page's outbox. Does not block on the network.
     * A no-op when nothing is queued or the page died.
     *
     * @throws HalleyException TOO_LARGE when the frame alone exceeds the page's replay buffer (the
     *         commands are dropped and the function may go on)
     */
    Comet flush();

    /**
     * Waits for the next pool message (a {@link PoolMessage} or what a member sent).
     *
     * @throws PageDiedException when the page died or the function was cancelled
     */
    Object receive();

    /**
     * Waits up to {@code timeout} for the next pool message.
     *
     * @return the message, or null on timeout
     * @throws PageDiedException when the page died or the function was cancelled
     */
    Object receive(Duration timeout);

    /** Sends {@code message} to every member of this function's pool, itself included. */
    void send(Object message);

    /**
     * Sleeps for {@code duration}.
     *
     * @throws PageDiedException when the page died or the function was cancelled meanwhile
     */
    void sleep(Duration duration);

    /** False once the page died or the function was cancelled. */
    boolean isAlive();

    /** The page this function runs for. */
    Page page();

    /** This function's identity in its pool. */
    Member member();

    /** The runtime, for example to publish to a channel or send to another pool. */
    Halley halley();
}
