package io.halley.servlet;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.halley.servlet.internal.play.ScriptChunks;
import io.halley.servlet.internal.play.ScriptStreamWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Function;

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

    private final ScriptChunks chunks;
    private final int batch;

    private ScriptStream(Builder b) {
        this.chunks = ScriptChunks.of(b.callback, b.nonce, b.padding);
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

    private <T> void start(HttpServletRequest req, HttpServletResponse resp, Flow.Publisher<T> publisher,
                           Function<T, String> encode) {
        ScriptStreamWriter.start(req, resp, publisher, encode, chunks, batch);
    }

    /** Builder for {@link ScriptStream}; not thread-safe. */
    public static final class Builder {
        private final String callback;
        private String nonce;
        private int padding = 5120;
        private int batch = 16;

        private Builder(String callback) {
            this.callback = ScriptChunks.requireCallback(callback);
        }

        /** A CSP nonce for the script tags. Default none. */
        public Builder nonce(String nonce) {
            this.nonce = ScriptChunks.requireNonce(nonce);
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
