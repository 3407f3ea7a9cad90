package io.halley.core.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The hub's meters, from {@link HalleyMetrics#hub()}: publishes that failed and reconnects to the
 * hub's backend. The runtime hands them to its hub ({@link io.halley.core.spi.Hub#recordTo}); a
 * distributed hub records, the in-memory one never fails. Recording is one {@link LongAdder}
 * addition; any thread.
 */
public final class HubMeters {
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder reconnects = new LongAdder();

    /** A set of its own: what a hub records to until the runtime gives it the runtime's ({@code recordTo}). */
    public HubMeters() {
    }

    /** A publish did not reach the backend (the message is lost for other nodes). */
    public void publishFailed() {
        publishFailures.increment();
    }

    /** The hub's connection to its backend came back after it was lost. */
    public void reconnected() {
        reconnects.increment();
    }

    public long publishFailures() {
        return publishFailures.sum();
    }

    public long reconnects() {
        return reconnects.sum();
    }
}
