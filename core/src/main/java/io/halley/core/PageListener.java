package io.halley.core;

/**
 * Told when pages open and die (Jii's addConnection / removeConnection). Called on the thread
 * that opened or killed the page; must not block. An exception is logged and ignored; an
 * exception from {@link #opened(Page)} does not prevent the page from opening.
 */
public interface PageListener {

    /** A page was opened; a good place to subscribe it to channels server-side. */
    default void opened(Page page) {
    }

    /** A page died (lease expired, closed, session ended or runtime closed). */
    default void closed(Page page) {
    }
}
