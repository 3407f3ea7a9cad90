package io.halley.core.comet;

/**
 * The membership messages a pool sends on its own (Nitrogen's): {@link Init} to the first member,
 * {@link Join} to the other members when one joins, {@link Leave} to the others when one exits.
 * Every other message received from a pool is what some member or outside code sent.
 */
public sealed interface PoolMessage {

    /** Received by a function that joins an empty pool: it is the first member. */
    record Init() implements PoolMessage {
    }

    /** Another member joined the pool. */
    record Join(Member member) implements PoolMessage {
    }

    /** Another member left the pool (its function exited or its page died). */
    record Leave(Member member) implements PoolMessage {
    }
}
