package io.halley.bench.server;

/**
 * A server under test, running in this JVM: Halley, the limit or CometD on a loopback port.
 * {@link ServerMain} runs one in a JVM of its own behind a {@link ControlEndpoint}; the smoke test
 * runs them in-process.
 */
public interface BenchServer extends AutoCloseable {

    /** {@code halley}, {@code limit} or {@code cometd}. */
    String name();

    /** The HTTP port clients connect to. */
    int port();

    /**
     * Publishes {@code n} messages of {@code size} bytes on the bench channel, each stamped with
     * {@code due}: the {@link System#nanoTime()} at which the suite meant them to be published
     * (one clock for every process on the box). The latency scenario passes its schedule, so a
     * server whose publish call returns late, delaying the next one, has that wait counted in
     * the next message's latency instead of hiding it (coordinated omission).
     *
     * @return the {@code bn} of the first of them (numbers are consecutive)
     */
    long publish(int n, int size, long due);

    /** {@link #publish(int, int, long)} due now. */
    default long publish(int n, int size) {
        return publish(n, size, System.nanoTime());
    }

    /** Held client connections as this server counts them (streams, sessions). */
    int connections();

    /**
     * Client state the server still keeps, held or not: Halley's live pages (a page outlives its
     * connection by its lease), CometD's sessions, the limit's connections. The suite waits for
     * this to reach 0 between scenarios.
     */
    int clientsKept();

    @Override
    void close();
}
