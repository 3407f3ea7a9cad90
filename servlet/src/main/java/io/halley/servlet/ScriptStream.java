package io.halley.servlet;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.halley.core.Names;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Play's Comet helper for servlets: writes any {@link Flow.Publisher} of strings or JSON to an
 * {@link HttpServletResponse} as a chunked {@code text/html} stream of
 * {@code <script>callback(message);</script>} chunks, after an initial blank buffer (5,120 spaces
 * and {@code <html><body>}, as Play does) so that browsers start rendering at once.
 *
 * <p><b>Escaping.</b> Strings become JavaScript string literals and JSON stays JSON, both written
 * by Gson in HTML-safe mode: {@code < > & = '} and U+2028 / U+2029 are {@code \\u} escapes, so
 * {@code </script>} and {@code <!--} in a message can never end the script element.
 *
 * <p><b>Back-pressure.</b> The stream requests a small batch from the publisher only when all it
 * had is written and the servlet output is ready ({@code isReady()}); a slow reader therefore
 * slows the publisher and costs at most one batch of buffered chunks. Writes are non-blocking
 * ({@code WriteListener}); no thread waits on the client.
 *
 * <p><b>End.</b> The publisher completing or failing completes the response; the client going
 * away cancels the subscription. Immutable and thread-safe; {@code stream} returns at once.
 *
 * <pre>{@code
 * ScriptStream.builder("parent.cometMessage").build().stream(request, response, publisher);
 * }</pre>
 */
public final class ScriptStream {
    private static final Gson GSON = new Gson(); // HTML-safe
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9+/=_-]{1,128}");

    private final String callback;
    private final String nonce;
    private final int padding;
    private final int batch;

    private ScriptStream(Builder b) {
        this.callback = b.callback;
        this.nonce = b.nonce;
        this.padding = b.padding;
        this.batch = b.batch;
    }

    /**
     * A builder for streams calling {@code callback}, a dotted JavaScript identifier such as
     * {@code parent.cometMessage}.
     *
     * @throws IllegalArgumentException for anything else (it is written into the page as code)
     */
    public static Builder builder(String callback) {
        return new Builder(callback);
    }

    /** Streams strings, each as a JavaScript string literal argument. */
    public void stream(HttpServletRequest request, HttpServletResponse response, Flow.Publisher<String> publisher) {
        start(request, response, publisher, s -> GSON.toJson(Objects.requireNonNull(s, "null element")));
    }

    /** Streams JSON values, each as a JavaScript value argument. */
    public void streamJson(HttpServletRequest request, HttpServletResponse response, Flow.Publisher<JsonElement> publisher) {
        start(request, response, publisher, j -> GSON.toJson(Objects.requireNonNull(j, "null element")));
    }

    /** As {@link #streamJson}; returns the writer (for heartbeats), or null when the output failed. */
    ScriptStreamWriter<JsonElement> openJson(HttpServletRequest request, HttpServletResponse response,
                                             Flow.Publisher<JsonElement> publisher) {
        return start(request, response, publisher, j -> GSON.toJson(Objects.requireNonNull(j, "null element")));
    }

    /** The script chunk for one already-escaped argument. */
    String chunk(String argument) {
        StringBuilder sb = new StringBuilder(argument.length() + callback.length() + 40);
        sb.append(nonce == null ? "<script>" : "<script nonce=\"" + nonce + "\">");
        return sb.append(callback).append('(').append(argument).append(");</script>\n").toString();
    }

    /** The initial blank buffer. */
    String preamble() {
        return " ".repeat(padding) + "<html><body>\n";
    }

    private <T> ScriptStreamWriter<T> start(HttpServletRequest req, HttpServletResponse resp, Flow.Publisher<T> publisher,
                                            Function<T, String> encode) {
        Objects.requireNonNull(publisher, "publisher");
        resp.setStatus(200);
        resp.setContentType("text/html; charset=utf-8");
        resp.setHeader("Cache-Control", "no-cache, no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        AsyncContext async = req.isAsyncStarted() ? req.getAsyncContext() : req.startAsync(req, resp);
        async.setTimeout(0);
        ScriptStreamWriter<T> writer;
        try {
            writer = new ScriptStreamWriter<>(this, async, resp.getOutputStream(), encode, batch);
        } catch (IOException e) {
            async.complete();
            return null;
        }
        writer.begin(publisher);
        return writer;
    }

    /** Builder for {@link ScriptStream}; not thread-safe. */
    public static final class Builder {
        private final String callback;
        private String nonce;
        private int padding = 5120;
        private int batch = 16;

        private Builder(String callback) {
            if (!Names.isDottedIdentifier(callback)) {
                throw new IllegalArgumentException("invalid callback name: '" + callback + "' (a dotted identifier)");
            }
            this.callback = callback;
        }

        /** A CSP nonce for the script tags. Default none. */
        public Builder nonce(String nonce) {
            if (nonce != null && !NONCE.matcher(nonce).matches()) {
                throw new IllegalArgumentException("invalid CSP nonce: '" + nonce + "'");
            }
            this.nonce = nonce;
            return this;
        }

        /** Spaces written before the first chunk. Default 5,120 (Play's); at least 0. */
        public Builder padding(int spaces) {
            if (spaces < 0) throw new IllegalArgumentException("padding must be >= 0: " + spaces);
            this.padding = spaces;
            return this;
        }

        /** Elements requested from the publisher at a time. Default 16. */
        public Builder batch(int n) {
            if (n < 1) throw new IllegalArgumentException("batch must be >= 1: " + n);
            this.batch = n;
            return this;
        }

        public ScriptStream build() {
            return new ScriptStream(this);
        }
    }
}
