package io.halley.core.spi;

import java.util.Objects;

/**
 * Whether a hub can reach what it needs ({@link Hub#health()}): {@code up}, and a short detail
 * for people ({@code "in-memory"}, {@code "Redis reachable"}, {@code "Redis unreachable: timed
 * out after 1000 ms"}). The detail never carries an address, a password or a stack trace, so a
 * health endpoint may show it.
 *
 * @param up     whether the hub delivers messages between nodes now
 * @param detail what was found, for people
 */
public record HubHealth(boolean up, String detail) {
    public HubHealth {
        Objects.requireNonNull(detail, "detail");
    }

    /** Up, with {@code detail}. */
    public static HubHealth up(String detail) {
        return new HubHealth(true, detail);
    }

    /** Down, with {@code detail}. */
    public static HubHealth down(String detail) {
        return new HubHealth(false, detail);
    }
}
