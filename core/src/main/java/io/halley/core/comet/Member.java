package io.halley.core.comet;

import java.util.Objects;

/**
 * A comet function's identity in its pool, as carried by {@link PoolMessage.Join} and
 * {@link PoolMessage.Leave}. The id is unique within a runtime and reveals nothing about the
 * page (no page id, no token).
 *
 * @param id a short opaque id such as {@code m42}
 */
public record Member(String id) {
    public Member {
        Objects.requireNonNull(id, "id");
    }
}
