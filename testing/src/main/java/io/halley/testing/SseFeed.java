package io.halley.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A page's SSE stream read in the background, as a browser's {@code EventSource} does: the JDK
 * client pushes each line to it (on the client's threads, no thread of the kit) and the parsed
 * frames pile up in {@link #frames()}, for a test to {@link Await} on. Opened by
 * {@link HttpBrowser#sse(HttpBrowser.PageRef)}; where a test reads frame by frame, use
 * {@link Transport#open} instead. Thread-safe.
 */
public final class SseFeed implements Flow.Subscriber<String> {
    private final HttpBrowser.PageRef page;
    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder data = new StringBuilder();
    private volatile HttpHeaders headers;
    private volatile boolean ended;
    private volatile Flow.Subscription subscription;

    SseFeed(HttpBrowser.PageRef page) {
        this.page = page;
    }

    /** The page whose stream this is. */
    public HttpBrowser.PageRef page() {
        return page;
    }

    /** The response headers. */
    public HttpHeaders headers() {
        return headers;
    }

    void headers(HttpHeaders h) {
        headers = h;
    }

    /** Whether the stream ended (completed, failed or {@link #close() closed}). */
    public boolean ended() {
        return ended;
    }

    /** The frames received so far, in order (a live view). */
    public List<JsonObject> frames() {
        return frames;
    }

    /** Every command received so far, in order. */
    public List<JsonObject> commands() {
        List<JsonObject> out = new ArrayList<>();
        for (JsonObject f : frames) {
            for (JsonElement c : f.getAsJsonArray("cmds")) out.add(c.getAsJsonObject());
        }
        return out;
    }

    /** The commands received so far that match {@code which}. */
    public List<JsonObject> commands(Predicate<JsonObject> which) {
        return commands().stream().filter(which).collect(Collectors.toList());
    }

    /** The {@code message} commands of {@code channel}. */
    public List<JsonObject> messages(String channel) {
        return commands(c -> op(c, "message") && channel.equals(c.get("channel").getAsString()));
    }

    /** The ids of the {@code message} commands of {@code channel}. */
    public List<Long> ids(String channel) {
        return messages(channel).stream().map(m -> m.get("id").getAsLong()).collect(Collectors.toList());
    }

    /** The {@code text} values written to {@code selector}. */
    public List<String> texts(String selector) {
        return commands(c -> op(c, "text") && selector.equals(c.get("selector").getAsString())).stream()
                .map(c -> c.get("text").getAsString()).collect(Collectors.toList());
    }

    /** Whether command {@code c} is an {@code op} command. */
    public static boolean op(JsonObject c, String op) {
        return op.equals(c.get("op").getAsString());
    }

    /** Ends the stream (the client closes its connection). */
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
        ended = true;
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
}
