package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.demo.https.Tls;
import io.halley.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * {@code target/halley-demo.jar} as a user runs it: {@code java -jar halley-demo.jar --port N}
 * prints its URL, serves the index, a server-rendered demo, the client and static files, and
 * stops cleanly on SIGTERM (closing the Halley runtime); with {@code --https} the same jar serves
 * HTTP/2 over TLS with the self-signed certificate whose fingerprint it printed (ALPN's processor
 * found through the merged {@code META-INF/services} of the shaded jar).
 */
class ExecutableJarIT {

    @Test
    void theJarStartsPrintsItsUrlServesTheDemosAndStopsOnSigterm() throws Exception {
        Path jar = Paths.get(System.getProperty("halley.jar", "target/halley-demo.jar"));
        assertTrue(Files.isRegularFile(jar), "built by mvn package: " + jar);
        int port = Ports.free();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        // to a file: Process.destroy() closes the pipes, and the last lines come after it
        Path log = Files.createTempFile("halley-demo-jar", ".log");
        Process p = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--port", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = "http://localhost:" + port + "/";
            awaitLine(log, "Halley demo running at " + url, Duration.ofSeconds(20));

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertTrue(get(http, url).contains("Halley demos"));
            assertTrue(get(http, url + "clock").contains("window.HALLEY_PAGE="));
            assertTrue(get(http, url + "halley/halley.js").contains("Halley"));
            assertTrue(get(http, url + "css/demo.css").contains(":root"));
        } finally {
            p.destroy(); // SIGTERM
        }
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "stopped within 15 s of SIGTERM");
        awaitLine(log, "Halley closed", Duration.ofSeconds(1));
        Files.delete(log);
    }

    @Test
    void withHttpsTheJarServesHttp2WithTheCertificateItPrinted() throws Exception {
        Path jar = Paths.get(System.getProperty("halley.jar", "target/halley-demo.jar"));
        assertTrue(Files.isRegularFile(jar), "built by mvn package: " + jar);
        int port = Ports.free();
        int httpsPort = Ports.free();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("halley-demo-jar-https", ".log");
        Process p = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--https", "--port", String.valueOf(port),
                "--https-port", String.valueOf(httpsPort)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = "https://localhost:" + httpsPort + "/";
            awaitLine(log, "Halley demo running at " + url, Duration.ofSeconds(30));
            Matcher m = Pattern.compile("SHA-256 ([0-9A-F:]{95})").matcher(Files.readString(log));
            assertTrue(m.find(), Files.readString(log));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(pinned(m.group(1)))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "clock")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertTrue(r.body().contains("window.HALLEY_PAGE="));
        } finally {
            p.destroy(); // SIGTERM
        }
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "stopped within 15 s of SIGTERM");
        awaitLine(log, "Halley closed", Duration.ofSeconds(1));
        Files.delete(log);
    }

    /** TLS that trusts the one certificate whose SHA-256 fingerprint is {@code fingerprint} ({@code AB:CD:...}). */
    private static SSLContext pinned(String fingerprint) throws Exception {
        X509TrustManager pin = new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                    throws CertificateException {
                if (!Tls.fingerprint(chain[0]).equals(fingerprint)) {
                    throw new CertificateException("not the certificate the demo printed");
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType)
                    throws CertificateException {
                throw new CertificateException("no client certificates here");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {pin}, null);
        return ssl;
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    private static void awaitLine(Path log, String part, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        do {
            if (Files.readString(log).contains(part)) return;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no line with '" + part + "' within " + max + "; output:\n" + Files.readString(log));
    }
}
