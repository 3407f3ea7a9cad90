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
     * the time just before it is handed to the server's publish call.
     *
     * @return the {@code bn} of the first of them (numbers are consecutive)
     */
    long publish(int n, int size);

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
