package io.halley.bench.server;

import java.time.Duration;

/**
 * Runs one server under test in this JVM: {@code java -cp halley-bench.jar io.halley.bench.ServerMain
 * halley|limit|cometd|cometd-lp|spring|atmosphere}. Prints {@code READY <port> <control port> <pid>} on standard output once
 * it listens, then serves until {@code /quit} on the control port or until standard input closes
 * (the suite died), so no server outlives its suite.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ServerMain halley|limit|cometd|cometd-lp|spring|atmosphere");
            System.exit(2);
        }
        BenchServer server = start(args[0], 0);
        ControlEndpoint control = new ControlEndpoint(server);
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the suite never writes; EOF means it is gone
                }
            } catch (Exception ignored) {
                // treat as EOF
            }
            System.err.println("suite gone: exiting");
            Runtime.getRuntime().halt(3);
        }, "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.out.println("READY " + server.port() + " " + control.port() + " " + ProcessHandle.current().pid());
        System.out.flush();
        control.awaitQuit();
        server.close();
        control.stop();
        System.exit(0);
    }

    /** Starts the named server on {@code port} (0 for any). */
    static BenchServer start(String kind, int port) throws Exception {
        switch (kind) {
            case "halley":
                return new HalleyServer(port);
            case "limit":
                return new LimitServer(port, Duration.ofSeconds(15));
            case "cometd":
                return new CometdServer(port);
            case "cometd-lp":
                return new CometdLongPollingServer(port);
            case "spring":
                return new SpringSseServer(port);
            case "atmosphere":
                return new AtmosphereServer(port);
            default:
                throw new IllegalArgumentException("unknown server " + kind);
        }
    }
}
