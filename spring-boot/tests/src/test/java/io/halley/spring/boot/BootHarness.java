package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A {@link BootApp} on a random port and a real HTTP client with its own cookies (one browser):
 * rendering pages, opening transports read in the background, posting as halley.js does.
 * Version-neutral (Spring Boot 3.5 and 4.0). {@link #close()} closes the context.
 */
final class BootHarness implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final ConfigurableApplicationContext context;
    final int port;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Held> held = new CopyOnWriteArrayList<>();

    private BootHarness(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Starts the application with {@code properties} ({@code name=value}) on a random port. */
    static BootHarness start(String... properties) {
        List<String> props = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
        props.addAll(List.of(properties));
        return new BootHarness(new SpringApplicationBuilder(BootApp.class).properties(props.toArray(String[]::new)).run());
    }

    String origin() {
        return "http://localhost:" + port;
    }

    URI uri(String path) {
        return URI.create(origin() + path);
    }

    /** A page rendered by {@code GET /clock}: its id, token and Spring Security's CSRF header and token. */
    record Rendered(String page, String token, String csrfHeader, String csrf) {
    }

    Rendered clock() throws IOException, InterruptedException {
        return clock(new String[0]);
    }

    /** {@link #clock()} with request {@code headers} (name, value, ...), e.g. HTTP Basic credentials. */
    Rendered clock(String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/clock")).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        HttpResponse<String> r = send(b.build());
        assertEquals(200, r.statusCode(), r.body());
        return new Rendered(meta(r.body(), "halley-page"), meta(r.body(), "halley-token"), meta(r.body(), "_csrf_header"),
                meta(r.body(), "_csrf"));
    }

    private static String meta(String html, String name) {
        Matcher m = Pattern.compile("<meta name=\"" + Pattern.quote(name) + "\" content=\"([^\"]*)\">").matcher(html);
        if (!m.find()) throw new AssertionError("no meta " + name + " in " + html);
        return m.group(1);
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build());
    }

    /** A POST of JSON with {@code headers} (name, value, ...). */
    HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b.build());
    }

    /** A held response read line by line in the background. */
    static final class Held implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final int status;
        volatile boolean ended;
        private final Stream<String> body;

        Held(HttpResponse<Stream<String>> r) {
            this.status = r.statusCode();
            this.body = r.body();
            Thread t = new Thread(() -> {
                try {
                    body.forEach(lines::add);
                } catch (RuntimeException closed) {
                    // closed by the test or the server
                } finally {
                    ended = true;
                }
            }, "test-reader");
            t.setDaemon(true);
            t.start();
        }

        boolean saw(String text) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }

        @Override
        public void close() {
            body.close();
        }
    }

    /** {@code GET /halley/<transport>?page=P&since=0}, read in the background once its headers came. */
    Held open(String transport, String page) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(uri("/halley/" + transport + "?page=" + page + "&since=0")).GET().build();
        HttpResponse<Stream<String>> r = http.sendAsync(req, HttpResponse.BodyHandlers.ofLines())
                .get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        Held h = new Held(r);
        held.add(h);
        return h;
    }

    /**
     * Opens a {@link #clock()} page here with an SSE stream and waits ({@link #TIMEOUT}) until
     * {@code text}, published to {@code news} on {@code other} (another application on the same
     * Redis) again and again meanwhile, reaches it.
     */
    void awaitNewsFrom(BootHarness other, String text) throws Exception {
        Rendered page = clock();
        Held sse = open("sse", page.page());
        assertEquals(200, sse.status);
        io.halley.testing.Await.until("the page is live", TIMEOUT, () -> sse.saw("tick 1"));
        io.halley.testing.Await.until("the other application's message reaches the page", TIMEOUT, () -> {
            other.context.getBean(io.halley.core.Halley.class).publish("news", text);
            return sse.saw(text);
        });
    }

    /** Fields of a flat JSON object, for the few answers the tests read. */
    static Map<String, String> fields(String json) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = Pattern.compile("\"(\\w+)\":\"?([^\",}]*)").matcher(json);
        while (x.find()) m.put(x.group(1), x.group(2));
        return m;
    }

    @Override
    public void close() {
        for (Held h : held) h.close();
        context.close();
    }
}
