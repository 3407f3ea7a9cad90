package io.halley.demo;

import java.util.Map;

/**
 * {@code java -jar halley-demo.jar [--port N]}: runs the demos on an embedded Jetty, on port
 * 8080 unless {@code --port N} or the environment variable {@code PORT} says otherwise ({@code 0}
 * picks a free port). Prints the URL once started; stops cleanly on SIGTERM or Ctrl-C.
 */
public final class Main {
    static final int DEFAULT_PORT = 8080;

    private Main() {
    }

    private static final String USAGE = "usage: java -jar halley-demo.jar [--port N]   (or the environment variable PORT)";

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        int port;
        try {
            port = port(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("halley-demo: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        EmbeddedServer server = EmbeddedServer.start(port);
        System.out.println("Halley demo running at " + server.uri() + "  (Ctrl-C stops it)");
        server.join();
    }

    /** The port from {@code --port N} / {@code --port=N}, else {@code PORT}, else 8080. */
    static int port(String[] args, Map<String, String> env) {
        String value = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--port")) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("--port needs a number");
                value = args[++i];
            } else if (a.startsWith("--port=")) {
                value = a.substring("--port=".length());
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (value == null) value = env.get("PORT");
        if (value == null || value.isBlank()) return DEFAULT_PORT;
        try {
            int p = Integer.parseInt(value.trim());
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number: '" + value + "'");
        }
    }
}
