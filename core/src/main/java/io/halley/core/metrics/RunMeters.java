package io.halley.core.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many callbacks (or server actions) ran and how many of them failed, from
 * {@link HalleyMetrics#callbacks()} and {@link HalleyMetrics#actions()}. Recording is one
 * {@link LongAdder} addition; any thread.
 */
public final class RunMeters {
    private final LongAdder runs = new LongAdder();
    private final LongAdder failures = new LongAdder();

    RunMeters() {
    }

    /** One started running (counted before it runs). */
    public void ran() {
        runs.increment();
    }

    /** One that ran ended with a failure (counted before its failure reaches the page). */
    public void failed() {
        failures.increment();
    }

    public long runs() {
        return runs.sum();
    }

    public long failures() {
        return failures.sum();
    }
}
