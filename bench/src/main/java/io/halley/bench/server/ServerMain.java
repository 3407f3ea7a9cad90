package io.halley.bench.server;

import java.time.Duration;

/**
 * Runs one server under test in this JVM: {@code java -cp halley-bench.jar io.halley.bench.ServerMain
 * halley|limit|cometd|cometd-lp|spring|atmosphere}, or {@code halley-node <redis-uri> <node-id>} for a
 * node of the 3-node scenario ({@link HalleyServer#onRedis}). Prints {@code READY <port> <control port> <pid>} on standard output once
 * it listens, then serves until {@code /quit} on the control port or until standard input closes
 * (the suite died), so no server outlives its suite.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ServerMain halley|limit|cometd|cometd-lp|spring|atmosphere | halley-node <redis-uri> <node-id>");
            System.exit(2);
        }
        BenchServer server = args[0].equals("halley-node") && args.length == 3
                ? HalleyServer.onRedis(0, args[1], args[2])
                : start(args[0], 0);
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
