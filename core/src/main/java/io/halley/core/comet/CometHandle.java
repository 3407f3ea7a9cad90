package io.halley.core.comet;

import io.halley.core.Page;

/** A started comet function, as returned by {@code Page.comet(...)}. Thread-safe. */
public interface CometHandle {

    /** The function's identity in its pool. */
    Member member();

    /** Interrupts the function; its exit path (final flush, dying message, Leave) runs as usual. */
    void cancel();

    /** True once the function's exit path has run. */
    boolean isDone();
}
