package io.halley.core.user;

import io.halley.core.command.Commands;

/**
 * Pushes to every open page of one user, on every node: obtained from
 * {@link io.halley.core.Halley#user(String)}. Queue commands with the {@link Commands} API as on a
 * {@link io.halley.core.PageWriter}; {@link #flush()} encodes them once and ships them as one frame
 * to each of the user's pages on this node and, through the hub, on every other node. Pages of
 * other users never get them. Flushes from one thread arrive at each page in flush order.
 *
 * <p>Thread-safe; never blocks on the network. A user with no open page drops what is sent
 * (nothing is kept for later pages).
 */
public interface UserWriter extends Commands<UserWriter> {

    /** The user's name. */
    String user();

    /**
     * Ships the queued commands as one frame to each of the user's pages on every node.
     *
     * @return how many of the user's pages on this node got the frame (other nodes are not counted)
     * @throws io.halley.core.HalleyException TOO_LARGE when the frame exceeds a page's replay buffer
     */
    int flush();

    /**
     * Sends {@code message} to the user's comet functions on every node: to every member of the
     * PAGE pool {@code pool} of each of the user's pages, and of the LOCAL pool {@code pool} of each
     * session those pages belong to (each function gets it once). Across nodes it travels as the
     * hub's pool messages do (its class name and Gson form).
     *
     * @throws io.halley.core.HalleyException BAD_INPUT for a bad pool name
     */
    void send(String pool, Object message);
}
