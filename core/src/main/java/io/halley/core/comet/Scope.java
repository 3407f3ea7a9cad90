package io.halley.core.comet;

/** Who shares a pool: the owner part of a pool's key. */
public enum Scope {
    /** One page instance (Nitrogen's local scope, "series"): owner = page id. */
    PAGE,
    /** One HTTP session, all its pages: owner = session id. */
    LOCAL,
    /** The whole system, across nodes when the hub is distributed: no owner. */
    GLOBAL
}
