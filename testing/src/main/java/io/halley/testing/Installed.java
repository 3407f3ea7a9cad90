package io.halley.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The rule for a missing external program (Chromium, redis-server): skip loudly, fail on CI. */
final class Installed {
    private Installed() {
    }

    /**
     * Fails the calling test when the environment variable {@code CI} is {@code true} (any case);
     * otherwise prints {@code message} loudly to stderr and aborts (skips) the test.
     */
    static void missing(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message + ": missing on CI (CI=true), so this is a failure");
        System.err.println("!!!!!!!! SKIPPED: " + message + " !!!!!!!!");
        Assumptions.abort(message);
    }
}
