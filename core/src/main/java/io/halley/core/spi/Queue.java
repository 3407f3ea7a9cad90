package io.halley.core.spi;

/**
 * Carries server actions to whichever node runs them (Jii's actions from a queue). A node with no
 * browsers attached (listen-only) can consume the queue too. {@link InMemoryQueue} is the
 * single-node default; a distributed queue (for example {@code RedisQueue}) adds at-least-once
 * processing across nodes.
 *
 * <p>Thread-safe.
 */
public interface Queue extends AutoCloseable {

    /** Enqueues an action; never blocks for long. */
    void offer(QueuedAction action);

    /**
     * Starts handing queued actions to {@code worker}, one call per action, on a queue thread.
     * A worker that throws has not taken the action, and the queue hands it out again later. A
     * worker that returns has taken it and calls {@code done} once the action has been fully
     * processed (its reply routed); a distributed queue hands an action whose {@code done} never
     * comes (its node died) to another node (at-least-once). Called once per node.
     */
    void consume(ActionWorker worker);

    /** Stops consuming and releases resources; actions still queued in memory are dropped. */
    @Override
    void close();

    /** Takes actions from a {@link Queue}. */
    @FunctionalInterface
    interface ActionWorker {
        /**
         * Takes {@code action}; must not block for long (hand the work to another thread).
         *
         * @param done to run once the action has been fully processed, from any thread
         */
        void take(QueuedAction action, Runnable done) throws Exception;
    }
}
