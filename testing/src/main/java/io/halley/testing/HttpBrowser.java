package io.halley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.testing.http2.Http2Clients;
import io.halley.testing.http2.Http2Mode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One simulated browser: the JDK's HTTP client (HTTP/1.1, as browsers speak to a plain-http
 * server; HTTP/2 to a server of {@code Http2Mode} h2c or h2, trusting the test certificate) with its own cookie jar, so that the session cookie comes back as a browser sends it.
 * Opens pages and posts to them as halley.js does; {@link Transport#open} reads a page's stream
 * frame by frame.
 *
 * <pre>{@code
 * HttpBrowser browser = new HttpBrowser(server);
 * HttpBrowser.PageRef page = browser.openPage();
 * browser.pagePost(page, "/call/greet", "\"args\":[\"Ada\"]");
 * try (FrameStream sse = Transport.SSE.open(browser, page.page(), 0)) {
 *     JsonObject frame = sse.next();
 * }
 * }</pre>
 *
 * <p>A browser made with {@link #HttpBrowser(TestServer)} sends a same-origin {@code Origin}
 * header with its page requests ({@link #openPage}, {@link #pagePost}) only; one made with
 * {@link #HttpBrowser(TestServer, String)} sends that {@code Origin} with every request, as a
 * page served from that origin would, and can talk to other servers too
 * ({@link #openPage(TestServer)}). Every request is bounded by a 10 s timeout and blocks the
 * calling thread. Thread-safe.
 */
public final class HttpBrowser implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private final TestServer server;
    private final String origin;
    private final List<SseFeed> feeds = new CopyOnWriteArrayList<>();

    /** An open page: its id and token, and the server it lives on. */
    public record PageRef(String page, String token, TestServer server) {
        /** A page of the browser's own server. */
        public PageRef(String page, String token) {
            this(page, token, null);
        }
    }

    /** A whole answer: its status and the JDK response. */
    public record Resp(int status, HttpResponse<String> raw) {
        public String body() {
            return raw.body();
        }

        public JsonObject json() {
            return JsonParser.parseString(raw.body()).getAsJsonObject();
        }

        /** The first value of the header, or null. */
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** Asserts a JSON error answer with {@code expected} status and no trace of a stack trace. */
        public void assertError(int expected) {
            assertEquals(expected, status, () -> "status of " + raw.uri() + ": " + raw.body());
            assertTrue(header("Content-Type").startsWith("application/json"), header("Content-Type"));
            JsonObject o = json();
            assertTrue(o.has("error") && o.get("error").isJsonPrimitive(), raw.body());
            assertFalse(raw.body().contains("Exception") || raw.body().contains("\tat ") || raw.body().contains(".java:"),
                    raw.body());
        }
    }

    /** A browser on a page of {@code server}'s origin. */
    public HttpBrowser(TestServer server) {
        this(server, null);
    }

    /**
     * A browser on a page of {@code origin} (null: none), sending it as {@code Origin} on every
     * request. {@code server} (the one of {@link #get}, {@link #post}, {@link #openPage()}) may be
     * null for a browser that names the server of each page ({@link #openPage(TestServer)}).
     */
    public HttpBrowser(TestServer server, String origin) {
        this.server = server;
        this.origin = origin;
        // HTTP/1.1 as browsers speak to a plain-http server: the JDK client's default (HTTP/2 with an
        // h2c upgrade attempt on each new connection) made a rare "connection closed locally"
        // under a flood of concurrent requests. HTTP/2 for a server that speaks it (h2c, h2 over TLS)
        this.http = Http2Clients.builder(server != null ? server.http2Mode() : Http2Mode.HTTP_1_1)
                .cookieHandler(cookies).build();
    }

    /** The server of {@link #get}, {@link #post} and of pages opened by {@link #openPage()}. */
    public TestServer server() {
        return server;
    }

    /** The origin of the page this browser stands for. */
    public String origin() {
        return origin != null ? origin : server.origin();
    }

    /** POST /page with {@code {}}; asserts 200. */
    public PageRef openPage() throws IOException, InterruptedException {
        return openPage(server, "{}");
    }

    /** POST /page with {@code body}; asserts 200. */
    public PageRef openPage(String body) throws IOException, InterruptedException {
        return openPage(server, body);
    }

    /** POST /page with {@code {}} on {@code on}; asserts 200. */
    public PageRef openPage(TestServer on) throws IOException, InterruptedException {
        return openPage(on, "{}");
    }

    private PageRef openPage(TestServer on, String body) throws IOException, InterruptedException {
        Resp r = send("POST", on.uri("/page"), body, "Origin", origin());
        assertEquals(200, r.status(), () -> "POST /page on " + on + ": " + r.body());
        JsonObject o = r.json();
        return new PageRef(o.get("page").getAsString(), o.get("token").getAsString(), on);
    }

    /**
     * A page POST as halley.js sends it: {@code fields} (JSON object members, may be empty) plus
     * {@code "page"}, with the page token and the page's {@code Origin}, to the page's server.
     */
    public Resp pagePost(PageRef p, String path, String fields) throws IOException, InterruptedException {
        String body = "{\"page\":\"" + p.page() + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
        return send("POST", serverOf(p).uri(path), body, "Origin", origin(), "X-Halley-Token", p.token());
    }

    /** {@link #pagePost}, asserting the answer's {@code status}; returns its JSON. */
    public JsonObject postOk(PageRef p, String path, String fields, int status) throws IOException, InterruptedException {
        Resp r = pagePost(p, path, fields);
        assertEquals(status, r.status(), () -> "POST " + path + " on " + serverOf(p) + ": " + r.body());
        return r.json();
    }

    /**
     * Opens the page's SSE stream ({@code GET /sse?page=P&since=0}) read in the background, and
     * waits (10 s at most) until it answered; asserts 200. {@link #close()} ends it.
     */
    public SseFeed sse(PageRef p) throws Exception {
        SseFeed feed = new SseFeed(p);
        HttpRequest.Builder b = HttpRequest.newBuilder(serverOf(p).uri("/sse?page=" + p.page() + "&since=0"))
                .header("Accept", "text/event-stream").GET();
        if (origin != null) b.header("Origin", origin);
        // ofPublisher: the response is there once the headers are; the body is then pushed, line by line, to the feed
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> r = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher())
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        r.body().subscribe(HttpResponse.BodySubscribers.fromLineSubscriber(feed));
        feeds.add(feed);
        assertEquals(200, r.statusCode(), () -> "GET /sse on " + serverOf(p));
        feed.headers(r.headers());
        return feed;
    }

    /** Ends every {@link #sse} stream of this browser. */
    @Override
    public void close() {
        for (SseFeed f : feeds) f.close();
        feeds.clear();
    }

    /** GET {@code base() + pathAndQuery} with the extra {@code headers} (name, value, ...). */
    public Resp get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return send("GET", server.uri(pathAndQuery), null, headers);
    }

    /** POST a JSON {@code body} to {@code base() + path}. */
    public Resp post(String path, String body, String... headers) throws IOException, InterruptedException {
        return method("POST", path, body, headers);
    }

    /** Any method to {@code base() + path}; {@code body} null for none, else sent as JSON. */
    public Resp method(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        return send(method, server.uri(path), body, headers);
    }

    /** Any method to any URI, with this browser's cookies (and {@code Origin}, if it has one). */
    public Resp send(String method, URI uri, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        boolean originGiven = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            originGiven |= headers[i].equalsIgnoreCase("Origin");
        }
        if (origin != null && !originGiven) b.header("Origin", origin);
        return send(b.build());
    }

    /** Sends {@code req} as it is, with this browser's cookies. */
    public Resp send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r);
    }

    /** The JDK client (cookie jar included), e.g. for a streamed answer. */
    public HttpClient client() {
        return http;
    }

    /** The Cookie header this browser would send to the browser's server, for raw-socket requests. */
    public String cookieHeader() {
        return cookieHeader(server);
    }

    /** The Cookie header this browser would send to {@code to}. */
    public String cookieHeader(TestServer to) {
        List<HttpCookie> list = cookies.getCookieStore().get(to.base());
        return list.stream().map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));
    }

    TestServer serverOf(PageRef p) {
        return p.server() != null ? p.server() : server;
    }
}
