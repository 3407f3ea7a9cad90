package io.halley.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The external programs the kit runs (Chromium, redis-server, nginx, apache2): the rule for one
 * that is missing (skip loudly, fail on CI), and the temporary folder each one runs in. Public so
 * that the kit's subpackages ({@code proxy}) share the rule; a test has no need of it.
 */
public final class ExternalPrograms {
    private ExternalPrograms() {
    }

    /**
     * Fails the calling test when the environment variable {@code CI} is {@code true} (any case);
     * otherwise prints {@code message} loudly to stderr and aborts (skips) the test.
     */
    public static void missing(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message + ": missing on CI (CI=true), so this is a failure");
        System.err.println("!!!!!!!! SKIPPED: " + message + " !!!!!!!!");
        Assumptions.abort(message);
    }

    /** Deletes {@code dir} and everything in it; a folder left behind is not worth failing a test for. */
    public static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // left behind
        }
    }
}
