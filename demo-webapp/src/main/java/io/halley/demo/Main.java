package io.halley.demo;

import java.util.Map;

/**
 * {@code java -jar halley-demo.jar [--port N] [--node ID] [--redis URI]}: runs the demos on an
 * embedded Jetty, on port 8080 unless {@code --port N} or the environment variable {@code PORT}
 * says otherwise ({@code 0} picks a free port). With {@code --redis redis://host:6379} (or
 * {@code REDIS_URL}) the runtime runs on Redis, so that several demo servers sharing one Redis
 * form one system; {@code --node ID} (or {@code NODE_ID}) names this node (default: random).
 * Prints the URL once started; stops cleanly on SIGTERM or Ctrl-C.
 */
public final class Main {
    static final int DEFAULT_PORT = 8080;

    private Main() {
    }

    private static final String USAGE = String.join("\n",
            "usage: java -jar halley-demo.jar [--port N] [--node ID] [--redis URI]",
            "  --port N      port to listen on (default 8080, 0 = any free port; env PORT)",
            "  --node ID     this node's id, 1-32 of A-Z a-z 0-9 _ - (default random; env NODE_ID)",
            "  --redis URI   run on Redis, e.g. redis://127.0.0.1:6379: demo servers sharing one",
            "                Redis form one system (env REDIS_URL)");

    /** What the command line and the environment asked for; {@code redis} and {@code node} may be null. */
    record Settings(int port, String redis, String node) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        Settings s;
        try {
            s = settings(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("halley-demo: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(EmbeddedServer.Options.port(s.port()).cluster(s.redis(), s.node()));
        } catch (Exception e) {
            System.err.println("halley-demo: could not start: " + rootMessage(e));
            System.exit(1);
            return;
        }
        String where = s.redis() == null ? "" : "  (node " + server.halley().config().nodeId() + ", Redis " + redact(s.redis()) + ")";
        System.out.println("Halley demo running at " + server.uri() + where + "  (Ctrl-C stops it)");
        server.join();
    }

    /** The port from {@code --port N} / {@code --port=N}, else {@code PORT}, else 8080. */
    static int port(String[] args, Map<String, String> env) {
        return settings(args, env).port();
    }

    /**
     * The settings from the command line ({@code --name value} or {@code --name=value}), else the
     * environment ({@code PORT}, {@code REDIS_URL}, {@code NODE_ID}), else the defaults.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    static Settings settings(String[] args, Map<String, String> env) {
        String port = null;
        String redis = null;
        String node = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value;
            if (!name.equals("--port") && !name.equals("--redis") && !name.equals("--node")) {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
                value = args[++i];
            }
            switch (name) {
                case "--port": port = value; break;
                case "--redis": redis = value; break;
                default: node = value;
            }
        }
        if (port == null) port = env.get("PORT");
        if (redis == null) redis = blankToNull(env.get("REDIS_URL"));
        if (node == null) node = blankToNull(env.get("NODE_ID"));
        if (node != null && !node.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("a node id is 1-32 of A-Z a-z 0-9 _ -: '" + node + "'");
        }
        if (redis != null) {
            try {
                ScaleOut.check(redis);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad Redis URI: " + e.getMessage());
            }
        }
        return new Settings(parsePort(port), redis, node);
    }

    private static int parsePort(String value) {
        if (value == null || value.isBlank()) return DEFAULT_PORT;
        try {
            int p = Integer.parseInt(value.trim());
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number: '" + value + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** {@code uri} without a password: {@code redis://***@host:6379}. */
    static String redact(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        return scheme < 0 || at < scheme ? uri : uri.substring(0, scheme + 3) + "***" + uri.substring(at);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() != null ? t.getMessage() : t.toString();
        return t == e ? m : e.getMessage() + " (" + m + ")";
    }
}
