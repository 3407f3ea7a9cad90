package io.halley.bench.server;

/** A server in this JVM (the smoke test): its stats are this JVM's. */
public final class LocalServer implements ServerHandle {
    private final BenchServer server;

    public LocalServer(BenchServer server) {
        this.server = server;
    }

    @Override
    public String name() {
        return server.name();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public long publish(int n, int size, long due) {
        return server.publish(n, size, due);
    }

    @Override
    public Stats stats(boolean gc) {
        return Stats.measure(server, gc);
    }

    @Override
    public void close() {
        server.close();
    }
}
