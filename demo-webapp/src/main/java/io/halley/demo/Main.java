package io.halley.demo;

import io.halley.demo.https.Https;
import io.halley.demo.https.Tls;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar halley-demo.jar [--port N] [--node ID] [--redis URI] [--https ...]}: runs the
 * demos on an embedded Jetty, on port 8080 unless {@code --port N} or the environment variable
 * {@code PORT} says otherwise ({@code 0} picks a free port). With {@code --redis redis://host:6379}
 * (or {@code REDIS_URL}) the runtime runs on Redis, so that several demo servers sharing one Redis
 * form one system; {@code --node ID} (or {@code NODE_ID}) names this node (default: random). With
 * {@code --https} it also serves HTTPS (HTTP/2 and HTTP/1.1 by ALPN) on {@code --https-port}
 * (default 8443), with a self-signed certificate made at start or the key of {@code --keystore};
 * the plain port then redirects there. Prints the URL once started; stops cleanly on SIGTERM or
 * Ctrl-C.
 */
public final class Main {
    static final int DEFAULT_PORT = 8080;

    private Main() {
    }

    private static final String USAGE = String.join("\n",
            "usage: java -jar halley-demo.jar [--port N] [--node ID] [--redis URI]",
            "                                 [--https [--https-port N] [--keystore FILE --keystore-password PW]]",
            "  --port N      port to listen on (default 8080, 0 = any free port; env PORT)",
            "  --node ID     this node's id, 1-32 of A-Z a-z 0-9 _ - (default random; env NODE_ID)",
            "  --redis URI   run on Redis, e.g. redis://127.0.0.1:6379: demo servers sharing one",
            "                Redis form one system (env REDIS_URL)",
            "  --https       also serve HTTPS, HTTP/2 and HTTP/1.1 (the http port redirects there), with a",
            "                self-signed certificate for localhost and 127.0.0.1 unless --keystore",
            "  --https-port N          the HTTPS port (default 8443, 0 = any free port; env HTTPS_PORT)",
            "  --keystore FILE         a PKCS12 or JKS keystore with the server's key (env KEYSTORE)",
            "  --keystore-password PW  its password, also the key's (env KEYSTORE_PASSWORD)");

    private static final List<String> VALUED = List.of("--port", "--redis", "--node", "--https-port", "--keystore",
            "--keystore-password");

    /** What the command line and the environment asked for; {@code redis}, {@code node} and {@code https} may be null. */
    record Settings(int port, String redis, String node, HttpsSettings https) {
        Settings(int port, String redis, String node) {
            this(port, redis, node, null);
        }
    }

    /** {@code --https}: its port, and the keystore and its password (both null: a self-signed certificate). */
    record HttpsSettings(int port, Path keystore, String password) {
        @Override
        public String toString() {
            return "HttpsSettings[port=" + port + ", keystore=" + keystore + (password == null ? "" : ", password=***") + "]";
        }
    }

    /** What {@link #launch} came to: the running server, or none and the exit code (0 after {@code --help}). */
    record Launched(EmbeddedServer server, int exitCode) {
    }

    public static void main(String[] args) throws Exception {
        Launched launched = launch(args, System.getenv(), System.out, System.err);
        if (launched.server() == null) {
            if (launched.exitCode() != 0) System.exit(launched.exitCode());
            return;
        }
        launched.server().join();
    }

    /**
     * Everything {@link #main} does but wait: reads {@code args} and {@code env}, makes or reads the
     * TLS key, starts the server and prints where it runs on {@code out}. Blocks until the server
     * runs. Never throws for bad input: prints one line on {@code err} and returns exit code 2 for a
     * bad argument or keystore (with the usage for a bad argument), 1 when the server cannot start.
     */
    static Launched launch(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return new Launched(null, 0);
        }
        Settings s;
        Https https = null;
        try {
            s = settings(args, env);
        } catch (IllegalArgumentException e) {
            err.println("halley-demo: " + e.getMessage());
            err.println(USAGE);
            return new Launched(null, 2);
        }
        try {
            if (s.https() != null) https = new Https(s.https().port(), tls(s.https()));
        } catch (IllegalArgumentException e) {
            err.println("halley-demo: " + e.getMessage());
            return new Launched(null, 2);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            err.println("halley-demo: no TLS certificate: " + rootMessage(e));
            return new Launched(null, 1);
        }
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(EmbeddedServer.Options.port(s.port()).cluster(s.redis(), s.node()).https(https));
        } catch (Exception e) {
            err.println("halley-demo: could not start: " + rootMessage(e));
            return new Launched(null, 1);
        }
        String where = s.redis() == null ? "" : "  (node " + server.halley().config().nodeId() + ", Redis " + redact(s.redis()) + ")";
        if (https == null) {
            out.println("Halley demo running at " + server.uri() + where + "  (Ctrl-C stops it)");
        } else {
            out.println("Halley demo running at " + server.httpsUri() + " (HTTP/2 and HTTP/1.1 over TLS; "
                    + server.uri() + " redirects there)" + where + "  (Ctrl-C stops it)");
            out.println("TLS certificate " + https.tls().source() + ", SHA-256 " + https.tls().fingerprint());
        }
        return new Launched(server, 0);
    }

    private static Tls tls(HttpsSettings h) throws Exception {
        return h.keystore() == null ? Tls.selfSigned() : Tls.fromKeyStore(h.keystore(), h.password().toCharArray());
    }

    /** The port from {@code --port N} / {@code --port=N}, else {@code PORT}, else 8080. */
    static int port(String[] args, Map<String, String> env) {
        return settings(args, env).port();
    }

    /**
     * The settings from the command line ({@code --name value} or {@code --name=value}; the flag
     * {@code --https} alone), else the environment ({@code PORT}, {@code REDIS_URL}, {@code NODE_ID},
     * and with {@code --https}: {@code HTTPS_PORT}, {@code KEYSTORE}, {@code KEYSTORE_PASSWORD}),
     * else the defaults.
     *
     * @throws IllegalArgumentException naming the bad argument (never showing a password)
     */
    static Settings settings(String[] args, Map<String, String> env) {
        Map<String, String> given = new HashMap<>();
        boolean https = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (name.equals("--https")) {
                if (a.contains("=")) throw new IllegalArgumentException("--https takes no value");
                https = true;
                continue;
            }
            if (!VALUED.contains(name)) throw new IllegalArgumentException("unknown argument '" + (name.equals(a) ? a : name + "=...") + "'");
            if (a.contains("=")) {
                given.put(name, a.substring(a.indexOf('=') + 1));
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
                given.put(name, args[++i]);
            }
        }
        String port = given.getOrDefault("--port", env.get("PORT"));
        String redis = given.containsKey("--redis") ? given.get("--redis") : blankToNull(env.get("REDIS_URL"));
        String node = given.containsKey("--node") ? given.get("--node") : blankToNull(env.get("NODE_ID"));
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
        int plain = parsePort(port, DEFAULT_PORT);
        return new Settings(plain, redis, node, https ? httpsSettings(given, env, plain) : noHttps(given));
    }

    private static HttpsSettings noHttps(Map<String, String> given) {
        for (String name : List.of("--https-port", "--keystore", "--keystore-password")) {
            if (given.containsKey(name)) throw new IllegalArgumentException(name + " goes with --https");
        }
        return null;
    }

    private static HttpsSettings httpsSettings(Map<String, String> given, Map<String, String> env, int plainPort) {
        int port = parsePort(given.getOrDefault("--https-port", env.get("HTTPS_PORT")), Https.DEFAULT_PORT);
        if (port != 0 && port == plainPort) throw new IllegalArgumentException("--https-port and --port are both " + port);
        String keystore = given.containsKey("--keystore") ? given.get("--keystore") : blankToNull(env.get("KEYSTORE"));
        String password = given.getOrDefault("--keystore-password", env.get("KEYSTORE_PASSWORD"));
        if (keystore != null && keystore.isBlank()) throw new IllegalArgumentException("--keystore needs a file");
        if (keystore != null && password == null) {
            throw new IllegalArgumentException("--keystore needs --keystore-password (or KEYSTORE_PASSWORD)");
        }
        if (keystore == null && given.containsKey("--keystore-password")) {
            throw new IllegalArgumentException("--keystore-password goes with --keystore");
        }
        return new HttpsSettings(port, keystore == null ? null : Paths.get(keystore), keystore == null ? null : password);
    }

    private static int parsePort(String value, int otherwise) {
        if (value == null || value.isBlank()) return otherwise;
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
