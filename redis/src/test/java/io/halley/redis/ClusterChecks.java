package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Set;

/** The checks shared by the core-level and the web-level cluster tests (waits and leak checks: the kit's). */
public final class ClusterChecks {
    private ClusterChecks() {
    }

    public static void assertIncreasing(List<Long> ids, String what) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) <= ids.get(i - 1)) fail(what + ": ids not increasing at " + i + ": " + ids);
        }
    }

    public static void assertNoDuplicates(List<?> values, String what) {
        assertEquals(values.size(), Set.copyOf(values).size(), what + " has duplicates: " + values);
    }

}
