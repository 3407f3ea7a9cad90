package io.halley.testing;


import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code nginx} (the Debian package's binary) in front of a server, on a free loopback
 * port, run in the foreground ({@code daemon off}) with its prefix, config, pid file, error log
 * and temp folders in a temporary directory. The {@code location /} block is
 * {@code proxy_pass http://127.0.0.1:<upstream>;} followed by the directives given, so a test runs
 * exactly the configuration the docs show. Missing nginx skips the test loudly, or fails it when
 * the environment variable {@code CI} is {@code true}. Every wait is bounded; {@link #close()}
 * stops the process and removes the directory.
 */
public final class Nginx implements AutoCloseable {
    private static final String BINARY = find();

    public final int port;
    private final Path dir;
    private final Process process;

    private Nginx(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /** The {@code location /} directives after {@code proxy_pass}, one per line. */
    public static Nginx proxyTo(int upstreamPort, List<String> directives) throws IOException {
        if (BINARY == null) {
            Installed.missing("nginx is not installed (looked in /usr/sbin, /usr/local/sbin, /usr/bin and on PATH):"
                    + " the reverse-proxy tests cannot run. Install it (apt-get install nginx)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("halley-nginx");
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        StringBuilder location = new StringBuilder("            proxy_pass http://127.0.0.1:" + upstreamPort + ";\n");
        for (String d : directives) location.append("            ").append(d).append('\n');
        String conf = String.join("\n",
                // as root, nginx's workers would run as nobody, who cannot write the temp folders here
                "root".equals(System.getProperty("user.name")) ? "user root;" : "",
                "worker_processes 1;",
                "daemon off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("logs/error.log") + " warn;",
                "events { worker_connections 512; }",
                "http {",
                "    access_log off;",
                "    client_body_temp_path " + dir.resolve("tmp/body") + ";",
                "    proxy_temp_path " + dir.resolve("tmp/proxy") + ";",
                "    fastcgi_temp_path " + dir.resolve("tmp/fastcgi") + ";",
                "    uwsgi_temp_path " + dir.resolve("tmp/uwsgi") + ";",
                "    scgi_temp_path " + dir.resolve("tmp/scgi") + ";",
                "    server {",
                "        listen 127.0.0.1:" + port + ";",
                "        location / {",
                location + "        }",
                "    }",
                "}", "");
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(BINARY, "-p", dir.toString(), "-c", file.toString(), "-e", dir.resolve("logs/error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        Nginx n = new Nginx(port, dir, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!n.accepts()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String log = n.log();
                n.close();
                throw new IOException("nginx did not start on port " + port + ":\n" + log + "\nconfig:\n" + conf);
            }
            sleep(20);
        }
        return n;
    }

    /** {@code http://127.0.0.1:port}: the origin a browser talking to this proxy sends. */
    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** The error log and output so far (for failure messages). */
    public String log() {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("logs/error.log", "logs/stdout.log")) {
            try {
                b.append(Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // absent: nothing logged there
            }
        }
        return b.toString();
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static String find() {
        for (String d : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")) {
            Path p = Path.of(d, "nginx");
            if (Files.isExecutable(p)) return p.toString();
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                Path p = Path.of(d, "nginx");
                if (!d.isEmpty() && Files.isExecutable(p)) return p.toString();
            }
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
