package io.halley.demo.chat;

/**
 * What the chat's members send through the GLOBAL pool {@code chat}, besides the pool's own
 * {@code Init}/{@code Join}/{@code Leave}. Plain records: the in-memory hub passes them as they
 * are, and a distributed hub (Redis) carries them as their class name and JSON
 * ({@code io.halley.core.spi.HubCodec}), rebuilt as records on every node.
 */
public sealed interface ChatEvent {

    /** {@code name} said {@code text}. Both are the user's: escaped when shown. */
    record Said(String name, String text) implements ChatEvent {
    }

    /** The dying message of {@code name}'s function: its tab closed or its page was lost. */
    record Left(String name) implements ChatEvent {
    }

    /**
     * Pool member {@code member} (its id) is called {@code name}: sent by a function when it
     * starts ({@code fresh}: "… joined") and again by every member when another one joins, so that
     * a newcomer, on whichever node, learns who is here.
     */
    record Here(String member, String name, boolean fresh) implements ChatEvent {
    }
}
