package io.halley.redis;

import io.halley.core.HalleyException;

/**
 * A Redis command that a caller waits for (connecting, recording a channel message, reading a
 * channel's history, queueing an action, subscribing) could not be done: Redis was unreachable for
 * longer than the command timeout, refused the command, or the part was closed. Nothing was done,
 * or, for a command that timed out, it may still have taken effect. The message names the URI
 * without its password. Its kind is {@link HalleyException.Kind#UNAVAILABLE}: a servlet answers 503.
 */
public class RedisUnavailableException extends HalleyException {

    public RedisUnavailableException(String message, Throwable cause) {
        super(Kind.UNAVAILABLE, message, cause);
    }
}
