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
     * A worker that returns normally has taken the action; one that throws has not, and the queue
     * may hand the action out again. Called once per node.
     */
    void consume(ActionWorker worker);

    /** Stops consuming and releases resources; actions still queued in memory are dropped. */
    @Override
    void close();

    /** Takes actions from a {@link Queue}. */
    @FunctionalInterface
    interface ActionWorker {
        void take(QueuedAction action) throws Exception;
    }
}
