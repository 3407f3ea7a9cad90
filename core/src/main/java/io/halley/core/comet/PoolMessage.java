package io.halley.core.comet;

/**
 * The membership messages a pool sends on its own (Nitrogen's): {@link Init} to the first member,
 * {@link Join} to the other members when one joins, {@link Leave} to the others when one exits.
 * Every other message received from a pool is what some member or outside code sent. A GLOBAL
 * pool spanning nodes also sends {@link Gap} when messages were lost between nodes.
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

    /**
     * Messages of this GLOBAL pool sent on some node may not have reached this member: the hub
     * between the nodes lost them (for example Redis lost its data, or was unreachable for longer
     * than its record covers). {@code lost} is how many when known, else -1. Delivery goes on after
     * it; a function that keeps state from the pool's messages should rebuild it (ask the others
     * again). Never sent by a single-node runtime.
     */
    record Gap(long lost) implements PoolMessage {
    }
}
