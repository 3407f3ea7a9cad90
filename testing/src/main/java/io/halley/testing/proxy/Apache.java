package io.halley.testing.proxy;

import io.halley.testing.ExternalPrograms;
import io.halley.testing.Ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Apache httpd (Debian's {@code apache2} binary) on a free loopback port, run in the
 * foreground ({@code -DFOREGROUND -f <conf>}) from a self-contained config in a temporary
 * {@code ServerRoot}: absolute paths for the pid file, runtime folder and error log (so none of
 * Debian's {@code APACHE_*} variables or {@code /etc/apache2} is used, and no running service on
 * port 80 matters), and only the modules a reverse proxy needs ({@code mpm_event},
 * {@code authz_core}, {@code proxy}, {@code proxy_http}, {@code headers}) loaded from
 * {@code /usr/lib/apache2/modules}. The directives a test gives ({@code ProxyPass …} and the
 * rest) follow, so a test runs exactly the configuration the docs show.
 *
 * <p>Missing {@code apache2} skips the test loudly, or fails it when the environment variable
 * {@code CI} is {@code true}. {@link #start} waits at most 10 s for the port to accept;
 * {@link #close()} stops httpd (SIGTERM, then a kill after 5 s) and removes the directory.
 * Not thread-safe; one test owns an instance.
 */
public final class Apache implements AutoCloseable {
    private static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    private static final List<String> NEEDED = List.of("mpm_event", "authz_core", "proxy", "proxy_http", "headers");
    private static final String BINARY = find();

    public final int port;
    private final ProxyProcess process;

    private Apache(ProxyProcess process) {
        this.port = process.port;
        this.process = process;
    }

    /**
     * Starts httpd with {@code directives} (one per line, in the server's main context), for
     * example {@code ProxyPass / http://127.0.0.1:8080/}.
     *
     * @throws IOException when httpd does not accept on its port within 10 s (the message holds
     *     its error log and the config)
     */
    public static Apache start(List<String> directives) throws IOException {
        if (BINARY == null || !modulesPresent()) {
            ExternalPrograms.missing("Apache httpd is not installed (looked for /usr/sbin/apache2 and the modules "
                    + NEEDED + " in " + MODULES + "): the Apache reverse-proxy tests cannot run. Install it (apt-get install apache2)");
        }
        int port = Ports.free();
        Path dir = Files.createTempDirectory("halley-apache");
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("run"));
        StringBuilder conf = new StringBuilder()
                .append("ServerRoot \"").append(dir).append("\"\n")
                .append("ServerName 127.0.0.1\n")
                .append("Listen 127.0.0.1:").append(port).append('\n')
                .append("PidFile \"").append(dir.resolve("run/httpd.pid")).append("\"\n")
                .append("DefaultRuntimeDir \"").append(dir.resolve("run")).append("\"\n")
                .append("ErrorLog \"").append(dir.resolve("logs/error.log")).append("\"\n")
                .append("LogLevel warn\n");
        // as root, httpd's children switch to User/Group; without them it logs an alert for uid -1
        if ("root".equals(System.getProperty("user.name"))) conf.append("User #65534\nGroup #65534\n");
        for (String m : NEEDED) {
            conf.append(module(m)).append('\n');
        }
        for (String d : directives) conf.append(d).append('\n');
        Path file = dir.resolve("httpd.conf");
        Files.writeString(file, conf);
        return new Apache(ProxyProcess.start("apache2", port, dir, List.of(BINARY, "-DFOREGROUND", "-f", file.toString()),
                conf.toString()));
    }

    /**
     * The {@code LoadModule} directive for another module of Debian's package, e.g.
     * {@code module("deflate")} for {@code mod_deflate}, to add to a test's directives (before the
     * directives that use it).
     */
    public static String module(String name) {
        return "LoadModule " + name + "_module \"" + MODULES.resolve("mod_" + name + ".so") + "\"";
    }

    /** {@code http://127.0.0.1:port}: the origin a browser talking to this proxy sends. */
    public String origin() {
        return process.origin();
    }

    /** The error log and output so far (for failure messages). */
    public String log() {
        return process.log();
    }

    /** Stops httpd and its children (SIGTERM to the parent), then removes the directory. */
    @Override
    public void close() {
        process.close();
    }

    private static boolean modulesPresent() {
        for (String m : NEEDED) if (!Files.isReadable(MODULES.resolve("mod_" + m + ".so"))) return false;
        return true;
    }

    private static String find() {
        return ProxyProcess.find("apache2", List.of("/usr/sbin", "/usr/local/sbin"));
    }
}
