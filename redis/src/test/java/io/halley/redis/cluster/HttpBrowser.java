package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A browser stand-in built on the JDK's HTTP client: one cookie jar (so a node's session cookie
 * comes back to it), and an {@code Origin} header on every request, as a page served from
 * {@code origin} would send. Opens pages, posts to them and reads their SSE streams. Every request
 * is bounded by a timeout.
 */
final class HttpBrowser implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    final String origin;
    private final HttpClient client;
    private final List<Sse> streams = new CopyOnWriteArrayList<>();

    HttpBrowser(String origin) {
        this.origin = origin;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** An open page: the node it lives on, its id and token. */
    record PageRef(WebNode node, String page, String token) {
    }

    record Resp(int status, HttpResponse<String> raw) {
        JsonObject json() {
            return JsonParser.parseString(raw.body()).getAsJsonObject();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Resp send(String method, URI uri, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) b.header("Origin", origin);
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r);
    }

    /** POST /page on {@code node}. */
    PageRef open(WebNode node) throws IOException, InterruptedException {
        Resp r = send("POST", node.uri("/page"), "{}");
        assertEquals(200, r.status(), "POST /page on " + node + ": " + r.raw().body());
        return new PageRef(node, r.json().get("page").getAsString(), r.json().get("token").getAsString());
    }

    /** POST {@code path} for the page with {@code members} (JSON members without braces) and its token. */
    Resp post(PageRef p, String path, String members) throws IOException, InterruptedException {
        String body = "{\"page\":\"" + p.page() + "\"" + (members.isEmpty() ? "" : "," + members) + "}";
        return send("POST", p.node().uri(path), body, "X-Halley-Token", p.token());
    }

    /** POST that must answer {@code status}. */
    JsonObject postOk(PageRef p, String path, String members, int status) throws IOException, InterruptedException {
        Resp r = post(p, path, members);
        assertEquals(status, r.status(), "POST " + path + " on " + p.node() + ": " + r.raw().body());
        return r.json();
    }

    /** Opens the page's SSE stream ({@code GET /sse?page=P&since=0}) and waits until it answered 200. */
    Sse sse(PageRef p) throws Exception {
        Sse s = new Sse(p);
        HttpRequest req = HttpRequest.newBuilder(p.node().uri("/sse?page=" + p.page() + "&since=0"))
                .header("Origin", origin).header("Accept", "text/event-stream").GET().build();
        // ofPublisher: the response is there once the headers are; the body is then pushed, line by line, to s
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> r = client.sendAsync(req, HttpResponse.BodyHandlers.ofPublisher())
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        r.body().subscribe(HttpResponse.BodySubscribers.fromLineSubscriber(s));
        streams.add(s);
        assertEquals(200, r.statusCode(), "GET /sse on " + p.node());
        s.headers = r.headers();
        return s;
    }

    /** Ends every stream this browser opened (the client closes its connections). */
    @Override
    public void close() {
        for (Sse s : streams) s.close();
        streams.clear();
    }

    /** One SSE stream: frames as they arrive (parsed), pushed by the HTTP client (no thread of ours). */
    static final class Sse implements Flow.Subscriber<String> {
        final PageRef page;
        final List<JsonObject> frames = new CopyOnWriteArrayList<>();
        volatile java.net.http.HttpHeaders headers;
        volatile boolean ended;
        private volatile Flow.Subscription subscription;
        private final StringBuilder data = new StringBuilder();

        Sse(PageRef page) {
            this.page = page;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(String line) {
            if (line.isEmpty()) {
                if (data.length() > 0) frames.add(JsonParser.parseString(data.toString()).getAsJsonObject());
                data.setLength(0);
            } else if (line.startsWith("data: ")) {
                if (data.length() > 0) data.append('\n');
                data.append(line, 6, line.length());
            }
        }

        @Override
        public void onError(Throwable t) {
            ended = true;
        }

        @Override
        public void onComplete() {
            ended = true;
        }

        void close() {
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
            ended = true;
        }

        /** Every command received so far, in order. */
        List<JsonObject> commands() {
            List<JsonObject> out = new ArrayList<>();
            for (JsonObject f : frames) {
                for (JsonElement c : f.getAsJsonArray("cmds")) out.add(c.getAsJsonObject());
            }
            return out;
        }

        List<JsonObject> commands(Predicate<JsonObject> which) {
            return commands().stream().filter(which).collect(Collectors.toList());
        }

        /** The {@code message} commands of {@code channel}. */
        List<JsonObject> messages(String channel) {
            return commands(c -> op(c, "message") && channel.equals(c.get("channel").getAsString()));
        }

        /** The ids of the {@code message} commands of {@code channel}. */
        List<Long> ids(String channel) {
            return messages(channel).stream().map(m -> m.get("id").getAsLong()).collect(Collectors.toList());
        }

        /** The {@code text} values written to {@code selector}. */
        List<String> texts(String selector) {
            return commands(c -> op(c, "text") && selector.equals(c.get("selector").getAsString())).stream()
                    .map(c -> c.get("text").getAsString()).collect(Collectors.toList());
        }

        static boolean op(JsonObject c, String op) {
            return op.equals(c.get("op").getAsString());
        }
    }
}
