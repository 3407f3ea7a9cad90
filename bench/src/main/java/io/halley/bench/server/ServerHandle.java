package io.halley.bench.server;

import java.io.IOException;

/** The suite's view of a server under test, in another JVM ({@link RemoteServer}) or in this one ({@link LocalServer}). */
public interface ServerHandle extends AutoCloseable {

    String name();

    int port();

    /** The server's process id (this JVM's for a local server). */
    long pid();

    /** Every process the server is made of (a cluster: its nodes and its redis-server), in the order to continue them. */
    default java.util.List<Long> pids() {
        return java.util.List.of(pid());
    }

    /**
     * Publishes {@code n} messages of {@code size} bytes stamped {@code due} (the
     * {@link System#nanoTime()} they were meant to go out at: see {@link BenchServer#publish(int, int, long)});
     * returns the number of the first.
     */
    long publish(int n, int size, long due) throws IOException;

    /** {@link #publish(int, int, long)} due now. */
    default long publish(int n, int size) throws IOException {
        return publish(n, size, System.nanoTime());
    }

    /** The server's own measurements; {@code gc} runs a full GC first. */
    Stats stats(boolean gc) throws IOException;

    @Override
    void close();
}
