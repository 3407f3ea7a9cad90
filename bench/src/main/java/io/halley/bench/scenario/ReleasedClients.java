package io.halley.bench.scenario;

import io.halley.bench.load.Clients;
import io.halley.bench.load.Tally;
import io.halley.bench.server.ServerHandle;
import java.io.IOException;
import java.time.Duration;

/**
 * Clients that, once closed, make their server write twice to them (two throwaway messages
 * 200 ms apart), so the server finds them gone now, not at the connector's idle timeout.
 * Atmosphere 3.0.13 on Jetty 12 ee10 never closes the connections of SSE clients that left
 * unnoticed until that timeout: it forgets the resources but the sockets stay open, and the full
 * run once exhausted its 20,000 file descriptors that way (benchmarks.md). Every server gets the
 * same two writes; nothing here is measured.
 */
final class ReleasedClients implements Clients {
    private final Clients clients;
    private final ServerHandle server;
    private final int size;

    ReleasedClients(Clients clients, ServerHandle server, int size) {
        this.clients = clients;
        this.server = server;
        this.size = size;
    }

    @Override
    public int open(int n, Duration timeout) throws InterruptedException {
        return clients.open(n, timeout);
    }

    @Override
    public Tally tally() {
        return clients.tally();
    }

    @Override
    public int up() {
        return clients.up();
    }

    @Override
    public void close() {
        clients.close();
        try {
            server.publish(1, size);
            Thread.sleep(200);
            server.publish(1, size);
        } catch (IOException e) {
            System.err.println("bench: a throwaway publish after closing clients failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
