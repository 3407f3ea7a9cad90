package io.halley.core.comet;

import io.halley.core.PageDiedException;

/**
 * User code that runs in the background for a page (Nitrogen's comet function). It runs on its
 * own thread (virtual on Java 21+), queues commands on {@code comet} and ships them with
 * {@link Comet#flush()}; whatever is queued when it returns is flushed.
 *
 * <p>When the page dies the thread is interrupted and {@link Comet#receive()} and
 * {@link Comet#sleep(java.time.Duration)} throw {@link PageDiedException}; let it propagate. Any
 * other exception is logged once and counts as the function's exit: what it flushed stays
 * delivered and its dying message goes to its pool.
 */
@FunctionalInterface
public interface CometFunction {
    void run(Comet comet) throws Exception;
}
