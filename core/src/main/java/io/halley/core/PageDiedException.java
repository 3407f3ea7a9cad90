package io.halley.core;

import io.halley.core.comet.Comet;

/**
 * Thrown by {@link Comet#receive()}, {@link Comet#receive(java.time.Duration)} and
 * {@link Comet#sleep(java.time.Duration)} when the function's page died (its lease expired, it was
 * closed, or the runtime closed) or the function was otherwise cancelled. Let it propagate: the
 * runtime treats it as the function's normal end and does not log it as an error.
 */
public class PageDiedException extends RuntimeException {
    public PageDiedException(String message) {
        super(message, null, false, false);
    }
}
