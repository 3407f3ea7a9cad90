package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.demo.https.SelfSignedKeyStore;
import io.halley.demo.https.Tls;
import io.halley.testing.Await;
import io.halley.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --https} as a user starts it, through {@link Main#launch} (what {@code main} runs before
 * it waits): the demo makes a self-signed certificate, or reads a given keystore, and answers over
 * HTTP/2 with TLS: the JDK's HTTP client, trusting exactly that certificate, gets pages and a
 * page's SSE stream with {@code version() == HTTP_2}, the stream carries the page's frames and its
 * channel's messages, and the plain port redirects to the https one. A wrong password, a missing
 * file or a file that is no keystore stops the start with one clear line and no server.
 */
class HttpsDemoTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    @Test
    void withHttpsAndASelfSignedCertificatePagesAndAHalleyStreamAnswerOverHttp2() throws Exception {
        Run run = launch("--https", "--port", "0", "--https-port", "0");
        assertNotNull(run.server(), run.err());
        try (EmbeddedServer server = run.server()) {
            Tls tls = server.tls();
            assertEquals("CN=localhost", tls.certificate().getSubjectX500Principal().getName());
            assertTrue(run.out().contains("Halley demo running at " + server.httpsUri()), run.out());
            assertTrue(run.out().contains("SHA-256 " + tls.fingerprint()), run.out());
            HttpClient h2 = http2Trusting(tls.certificate());

            HttpResponse<String> page = h2.send(get(server.httpsUri().resolve("/transports.html")), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, page.version());
            assertTrue(page.body().contains("halley/halley.js"), page.body());
            Certificate served = page.sslSession().orElseThrow().getPeerCertificates()[0];
            assertEquals(tls.fingerprint(), Tls.fingerprint(served), "the certificate printed is the one served");
            HttpResponse<String> h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(tls.certificate()))
                    .build().send(get(server.httpsUri().resolve("/transports.html")), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, h1.statusCode(), "a client offering only http/1.1 by ALPN");
            assertEquals(HttpClient.Version.HTTP_1_1, h1.version());

            HttpResponse<Void> redirect = HttpClient.newHttpClient().send(get(server.uri().resolve("/transports.html?transport=sse")),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(302, redirect.statusCode());
            assertEquals(server.httpsUri().resolve("/transports.html?transport=sse").toString(),
                    redirect.headers().firstValue("Location").orElse(null));

            streamDeliversOverHttp2(server, h2);
        }
        LeakCheck.awaitNoThreads("demo-");
    }

    @Test
    void withAGivenKeystoreTheDemoServesItsCertificateOverHttp2() throws Exception {
        Path keystore = dir.resolve("given.p12");
        SelfSignedKeyStore.write(keystore, "given-secret".toCharArray(), "halley-test");
        Run run = launch("--https", "--port=0", "--https-port=0", "--keystore", keystore.toString(),
                "--keystore-password=given-secret");
        assertNotNull(run.server(), run.err());
        try (EmbeddedServer server = run.server()) {
            X509Certificate given = (X509Certificate) KeyStore.getInstance(keystore.toFile(), "given-secret".toCharArray())
                    .getCertificate(SelfSignedKeyStore.ALIAS);
            assertTrue(run.out().contains("TLS certificate from " + keystore), run.out());
            HttpResponse<String> r = http2Trusting(given).send(get(server.httpsUri().resolve("/halley/halley.js")),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            X509Certificate served = (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
            assertEquals("CN=halley-test", served.getSubjectX500Principal().getName());
            assertEquals(Tls.fingerprint(given), Tls.fingerprint(served));
        }
    }

    @Test
    void aWrongPasswordAMissingFileOrANonKeystoreStopTheStartWithOneClearLine() throws Exception {
        Path keystore = dir.resolve("given.p12");
        SelfSignedKeyStore.write(keystore, "right-secret".toCharArray(), "halley-test");
        assertRefused("keystore " + keystore + ": wrong password",
                "--https", "--keystore", keystore.toString(), "--keystore-password", "wrong-secret");
        Path missing = dir.resolve("missing.p12");
        assertRefused("keystore " + missing + ": no such file",
                "--https", "--keystore", missing.toString(), "--keystore-password", "right-secret");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a keystore\n");
        assertRefused("keystore " + text + ": not a PKCS12 or JKS keystore",
                "--https", "--keystore", text.toString(), "--keystore-password", "right-secret");
        assertRefused("--keystore needs --keystore-password (or KEYSTORE_PASSWORD)", "--https", "--keystore", keystore.toString());
        assertRefused("--keystore goes with --https", "--keystore", keystore.toString(), "--keystore-password", "right-secret");
    }

    /** A page opened over h2 gets its SSE stream over h2; a frame pushed to it and a message of its channel arrive. */
    private static void streamDeliversOverHttp2(EmbeddedServer server, HttpClient h2) throws Exception {
        String origin = server.httpsUri().toString().replaceAll("/$", "");
        HttpResponse<String> opened = h2.send(post(server.httpsUri().resolve("/halley/page"), "{}", origin, null),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, opened.statusCode(), opened.body());
        assertEquals(HttpClient.Version.HTTP_2, opened.version());
        JsonObject o = JsonParser.parseString(opened.body()).getAsJsonObject();
        String id = o.get("page").getAsString();
        String token = o.get("token").getAsString();
        HttpResponse<String> sub = h2.send(post(server.httpsUri().resolve("/halley/subscribe"),
                "{\"page\":\"" + id + "\",\"channel\":\"room.h2\"}", origin, token), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, sub.statusCode(), sub.body());

        DataLines lines = new DataLines();
        HttpRequest sse = HttpRequest.newBuilder(server.httpsUri().resolve("/halley/sse?page=" + id + "&since=0"))
                .header("Accept", "text/event-stream").GET().build();
        // ofPublisher: the answer is there with its headers; the body then goes, line by line, to lines
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> stream = h2.sendAsync(sse, HttpResponse.BodyHandlers.ofPublisher())
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        stream.body().subscribe(HttpResponse.BodySubscribers.fromLineSubscriber(lines));
        try {
            assertEquals(200, stream.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, stream.version(), "the held stream runs over HTTP/2");
            Await.until("the stream is held", WAIT, () -> server.comet().heldConnections() == 1);
            assertEquals(0, server.comet().streamsOfBrowser(sessionOf(h2, server)), "over h2 the budget counts no stream");

            server.halley().pages().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow()
                    .writer().text("#probe", "over-h2").flush();
            JsonObject m = new JsonObject();
            m.addProperty("text", "hello-h2");
            server.halley().publish("room.h2", m);
            Await.until("the page's frame arrives: " + lines.data, WAIT, () -> lines.contains("\"over-h2\""));
            Await.until("the channel message arrives: " + lines.data, WAIT, () -> lines.contains("\"hello-h2\""));
        } finally {
            lines.cancel();
        }
    }

    private static String sessionOf(HttpClient h2, EmbeddedServer server) {
        CookieManager jar = (CookieManager) h2.cookieHandler().orElseThrow();
        return jar.getCookieStore().get(server.httpsUri()).stream().filter(c -> c.getName().equals("HALLEY_BROWSER"))
                .findFirst().orElseThrow(() -> new AssertionError("no HALLEY_BROWSER cookie: " + jar.getCookieStore().getCookies()))
                .getValue();
    }

    private static void assertRefused(String expected, String... args) {
        Run run = launch(args);
        assertNull(run.server(), "no server for " + String.join(" ", args));
        assertEquals(2, run.exitCode(), run.err());
        String first = run.err().lines().findFirst().orElse("");
        assertEquals("halley-demo: " + expected, first);
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), "no stack trace: " + run.err());
        assertFalse(run.err().contains("right-secret") || run.err().contains("wrong-secret"), "no password shown: " + run.err());
    }

    /** What {@link Main#launch} returned and printed. */
    private record Run(EmbeddedServer server, int exitCode, String out, String err) {
    }

    private static Run launch(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Launched l = Main.launch(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(l.server(), l.exitCode(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The JDK client, HTTP/2, trusting {@code certificate} only, with a cookie jar; 5 s to connect. */
    private static HttpClient http2Trusting(X509Certificate certificate) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting(certificate))
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** TLS trusting {@code certificate} only. */
    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("demo", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(WAIT).GET().build();
    }

    private static HttpRequest post(URI uri, String json, String origin, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(WAIT).header("Content-Type", "application/json")
                .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) b.header("X-Halley-Token", token);
        return b.build();
    }

    /** The {@code data:} lines of an event stream, as they come (on the client's threads). */
    private static final class DataLines implements Flow.Subscriber<String> {
        final List<String> data = new CopyOnWriteArrayList<>();
        private volatile Flow.Subscription subscription;

        boolean contains(String part) {
            return data.stream().anyMatch(l -> l.contains(part));
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data: ")) data.add(line.substring(6));
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }
}
