package io.halley.servlet.internal.stream;

/**
 * A request held open by the servlet (a page stream, a {@code /comet/<channel>} stream, a waiting
 * {@code /push/sub}), counted in {@link Connections} so that the held-request limit covers all of
 * them and {@link CometServlet#destroy()} can end them.
 */
public interface Held {

    /** Asks the request to end soon, as the servlet stops. Any thread; never blocks. */
    void shutdown();

    /**
     * The servlet's heartbeat sweep passed (every {@code heartbeat}, on its timer thread, for
     * every held request at once: one timer for all instead of one per request). A request that
     * sends heartbeats or watches for a stalled peer does so; the default does nothing. Never blocks.
     *
     * @param periodNanos the heartbeat period
     */
    default void heartbeatDue(long periodNanos) {
    }

    /**
     * The servlet's probe sweep passed (every {@code probeInterval}, on its timer thread, and when
     * the held-request limit is reached): a request that can write bytes its client ignores writes
     * them when it wrote nothing for {@code quietNanos}, so that a reset connection fails now and
     * frees its slot. The default does nothing. Never blocks.
     */
    default void probeDue(long quietNanos) {
    }

    /**
     * The servlet's deadline sweep passed (every {@link Connections#deadlineTickNanos tick}, on
     * its timer thread): a request waiting with a deadline (a long-poll, a push subscriber) is
     * answered as timed out once {@code nowNanos} ({@link System#nanoTime()}) is past it. One
     * sweep for all instead of a timer task per request, which a poll would schedule and cancel
     * several times a second. The default does nothing. Never blocks.
     */
    default void expireIfDue(long nowNanos) {
    }
}
