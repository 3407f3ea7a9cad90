package io.halley.testing.proxy;

import io.halley.testing.ExternalPrograms;
import io.halley.testing.Ports;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    private final ProxyProcess process;

    private Nginx(ProxyProcess process) {
        this.port = process.port;
        this.process = process;
    }

    /** The {@code location /} directives after {@code proxy_pass}, one per line. */
    public static Nginx proxyTo(int upstreamPort, List<String> directives) throws IOException {
        if (BINARY == null) {
            ExternalPrograms.missing("nginx is not installed (looked in /usr/sbin, /usr/local/sbin, /usr/bin and on PATH):"
                    + " the reverse-proxy tests cannot run. Install it (apt-get install nginx)");
        }
        int port = Ports.free();
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
        return new Nginx(ProxyProcess.start("nginx", port, dir,
                List.of(BINARY, "-p", dir.toString(), "-c", file.toString(), "-e", dir.resolve("logs/error.log").toString()), conf));
    }

    /** {@code http://127.0.0.1:port}: the origin a browser talking to this proxy sends. */
    public String origin() {
        return process.origin();
    }

    /** The error log and output so far (for failure messages). */
    public String log() {
        return process.log();
    }

    /** Stops nginx (SIGTERM: its fast shutdown) and removes the directory. */
    @Override
    public void close() {
        process.close();
    }

    private static String find() {
        String fixed = ProxyProcess.find("nginx", List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"));
        String path = System.getenv("PATH");
        return fixed != null || path == null ? fixed : ProxyProcess.find("nginx", List.of(path.split(":")));
    }
}
