package io.halley.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The suite's handle on a server process: a line protocol on a loopback port of its own (plain
 * blocking sockets, {@code TCP_NODELAY}, one thread per control connection), so that control
 * traffic never shares the server's connector or pool and a publish round trip costs tens of
 * microseconds, not a delayed ACK.
 *
 * <pre>
 *   STATS [gc]      → one line of {@link Stats} JSON
 *   PUB n size [due] → the number of the first message published, stamped due (System.nanoTime(); default now)
 *   QUIT            → "bye"; the server closes and {@link ServerMain} exits
 * </pre>
 */
public final class ControlEndpoint {
    private final ServerSocket socket;
    private final BenchServer server;
    private final CountDownLatch quit = new CountDownLatch(1);

    ControlEndpoint(BenchServer server) throws IOException {
        this.server = server;
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "bench-control");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    void awaitQuit() throws InterruptedException {
        quit.await();
    }

    void stop() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                s.setTcpNoDelay(true);
                Thread t = new Thread(() -> serve(s), "bench-control-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = s.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split(" ");
                String answer;
                try {
                    switch (f[0]) {
                        case "STATS":
                            answer = Stats.measure(server, f.length > 1 && f[1].equals("gc")).toJson();
                            break;
                        case "PUB":
                            long due = f.length > 3 ? Long.parseLong(f[3]) : System.nanoTime();
                            answer = Long.toString(server.publish(Integer.parseInt(f[1]), Integer.parseInt(f[2]), due));
                            break;
                        case "QUIT":
                            answer = "bye";
                            quit.countDown();
                            break;
                        default:
                            answer = "ERR unknown command";
                    }
                } catch (RuntimeException e) {
                    answer = "ERR " + e.toString().replace('\n', ' ');
                }
                out.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException ignored) {
            // the suite went away
        }
    }
}
