package io.halley.demo;

/**
 * What the chat's members send through the GLOBAL pool {@code chat}, besides the pool's own
 * {@code Init}/{@code Join}/{@code Leave}. Plain values: with a distributed hub they would need a
 * codec; with the default in-memory hub they travel as they are.
 */
sealed interface ChatEvent {

    /** {@code name} said {@code text}. Both are the user's: escaped when shown. */
    record Said(String name, String text) implements ChatEvent {
    }

    /** The dying message of {@code name}'s function: its tab closed or its page was lost. */
    record Left(String name) implements ChatEvent {
    }
}
