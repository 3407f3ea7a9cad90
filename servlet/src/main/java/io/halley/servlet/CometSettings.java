package io.halley.servlet;

import io.halley.servlet.internal.OriginPolicy;
import io.halley.servlet.internal.push.PushAccess;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The servlet-level settings of a {@link CometServlet}: how held connections behave on the wire.
 * Immutable and thread-safe; built with {@link #builder()} (or read from init-params, see
 * {@link CometServlet}). The settings of the runtime itself (page lease, replay buffer, limits per
 * page and session) are those of {@link io.halley.core.Halley#builder()}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code heartbeat}</td><td>15 s</td><td>SSE comment / iframe heartbeat script period;
 *       also how dead sockets are noticed (a write to a closed socket fails)</td></tr>
 *   <tr><td>{@code pollTimeout}</td><td>25 s</td><td>a long-poll with nothing to say is answered
 *       {@code {"frames":[]}} after this long</td></tr>
 *   <tr><td>{@code iframeBudget}</td><td>1 MiB</td><td>bytes written to one forever-iframe before it
 *       is rotated (the client opens a fresh one)</td></tr>
 *   <tr><td>{@code iframePadding}</td><td>2048</td><td>bytes of padding at the start of an iframe
 *       document so browsers start rendering at once (at least 2 KiB)</td></tr>
 *   <tr><td>{@code maxBodyBytes}</td><td>64 KiB</td><td>largest POST body; past it 413</td></tr>
 *   <tr><td>{@code allowedOrigins}</td><td>none</td><td>origins besides the servlet's own whose
 *       POSTs are accepted (and that get CORS headers); same-origin only by default</td></tr>
 *   <tr><td>{@code cspNonce}</td><td>none</td><td>where the CSP nonce for the iframe and bootstrap
 *       {@code <script>} tags comes from</td></tr>
 *   <tr><td>{@code maxHeldConnections}</td><td>10,000</td><td>held requests (page streams,
 *       {@code /comet} streams, waiting {@code /push/sub}) at once; past it 503 with
 *       {@code Retry-After}</td></tr>
 *   <tr><td>{@code channelStreamBuffer}</td><td>1,000</td><td>messages waiting per
 *       {@code /comet/<channel>} stream for a slow reader; past it the stream ends and the client
 *       resumes with {@code since}</td></tr>
 *   <tr><td>{@code pushTimeout}</td><td>30 s</td><td>how long a {@code /push/sub} request waits
 *       for a message before it is answered with an empty 200 (never 304)</td></tr>
 *   <tr><td>{@code pushBuffer}</td><td>100</td><td>messages kept per push channel for
 *       {@code /push/sub} (older ones are read from the channel history)</td></tr>
 *   <tr><td>{@code createSessions}</td><td>false</td><td>whether opening a page creates an
 *       {@code HttpSession} when the request has none; by default such a page is bound to a
 *       {@code HALLEY_BROWSER} cookie instead (128 random bits, HttpOnly, SameSite=Lax, as CometD's
 *       {@code BAYEUX_BROWSER}), so a comet page costs no server-side session. A request that has
 *       a session always uses it (and a session created later adopts the cookie's id)</td></tr>
 *   <tr><td>{@code pushPublisher}</td><td>{@code off}</td><td>who may use {@code /push/pub}:
 *       {@code off}, {@code loopback} (127.0.0.0/8 and ::1 only) or a shared secret of at least
 *       16 characters sent as header {@code X-Halley-Push-Secret}</td></tr>
 * </table>
 *
 * <p>Keep {@code heartbeat} and {@code pollTimeout} below the container's and any proxy's idle
 * timeout (Jetty's default connector idle timeout is 30 s).
 */
public final class CometSettings {
    /** The smallest iframe padding: browsers buffer the first kilobytes of a document. */
    public static final int MIN_IFRAME_PADDING = 2048;

    private final Duration heartbeat;
    private final Duration pollTimeout;
    private final long iframeBudget;
    private final int iframePadding;
    private final int maxBodyBytes;
    private final Set<String> allowedOrigins;
    private final Function<HttpServletRequest, String> cspNonce;
    private final int maxHeldConnections;
    private final int channelStreamBuffer;
    private final Duration pushTimeout;
    private final int pushBuffer;
    private final String pushPublisher;
    private final boolean createSessions;

    private CometSettings(Builder b) {
        this.createSessions = b.createSessions;
        this.heartbeat = positive(b.heartbeat, "heartbeat");
        this.pollTimeout = positive(b.pollTimeout, "pollTimeout");
        if (b.iframePadding < MIN_IFRAME_PADDING || b.iframePadding > (1 << 20)) {
            throw new IllegalArgumentException("iframePadding must be between " + MIN_IFRAME_PADDING
                    + " and 1048576 bytes: " + b.iframePadding);
        }
        this.iframePadding = b.iframePadding;
        if (b.iframeBudget < 4096) {
            throw new IllegalArgumentException("iframeBudget must be >= 4096 bytes: " + b.iframeBudget);
        }
        this.iframeBudget = b.iframeBudget;
        if (b.maxBodyBytes < 64) throw new IllegalArgumentException("maxBodyBytes must be >= 64: " + b.maxBodyBytes);
        this.maxBodyBytes = b.maxBodyBytes;
        if (b.maxHeldConnections < 1) {
            throw new IllegalArgumentException("maxHeldConnections must be >= 1: " + b.maxHeldConnections);
        }
        this.maxHeldConnections = b.maxHeldConnections;
        this.channelStreamBuffer = atLeast(b.channelStreamBuffer, 1, "channelStreamBuffer");
        this.pushTimeout = positive(b.pushTimeout, "pushTimeout");
        this.pushBuffer = atLeast(b.pushBuffer, 1, "pushBuffer");
        this.pushPublisher = PushAccess.check(b.pushPublisher);
        Set<String> origins = new LinkedHashSet<>();
        for (String o : b.allowedOrigins) origins.add(OriginPolicy.normalize(o));
        this.allowedOrigins = Set.copyOf(origins);
        this.cspNonce = b.cspNonce;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static CometSettings defaults() {
        return builder().build();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.heartbeat = heartbeat;
        b.pollTimeout = pollTimeout;
        b.iframeBudget = iframeBudget;
        b.iframePadding = iframePadding;
        b.maxBodyBytes = maxBodyBytes;
        b.allowedOrigins = new ArrayList<>(allowedOrigins);
        b.cspNonce = cspNonce;
        b.maxHeldConnections = maxHeldConnections;
        b.channelStreamBuffer = channelStreamBuffer;
        b.pushTimeout = pushTimeout;
        b.pushBuffer = pushBuffer;
        b.pushPublisher = pushPublisher;
        b.createSessions = createSessions;
        return b;
    }

    public Duration heartbeat() { return heartbeat; }

    public Duration pollTimeout() { return pollTimeout; }

    public long iframeBudget() { return iframeBudget; }

    public int iframePadding() { return iframePadding; }

    public int maxBodyBytes() { return maxBodyBytes; }

    /** Normalised origins ({@code scheme://host[:port]}, lower case, default ports omitted). */
    public Set<String> allowedOrigins() { return allowedOrigins; }

    public int maxHeldConnections() { return maxHeldConnections; }

    public int channelStreamBuffer() { return channelStreamBuffer; }

    public Duration pushTimeout() { return pushTimeout; }

    public int pushBuffer() { return pushBuffer; }

    /** {@code off}, {@code loopback} or the shared secret. */
    public String pushPublisher() { return pushPublisher; }

    /** Whether opening a page creates an {@code HttpSession} when the request has none. */
    public boolean createSessions() { return createSessions; }

    /**
     * The CSP nonce for {@code request}, or null for none. Called on the request's thread; a
     * supplier that throws fails the request with 500.
     *
     * @throws IllegalStateException if the supplier returned characters outside base64 ({@code A-Z
     *         a-z 0-9 + / = _ -}), which could not be placed in an attribute safely
     */
    public String nonceFor(HttpServletRequest request) {
        if (cspNonce == null) return null;
        String n = cspNonce.apply(request);
        if (n == null || n.isEmpty()) return null;
        if (!n.matches("[A-Za-z0-9+/=_-]{1,256}")) {
            throw new IllegalStateException("CSP nonce is not base64 (" + n.length() + " chars)");
        }
        return n;
    }

    @Override
    public String toString() {
        return "CometSettings[heartbeat=" + heartbeat + ", pollTimeout=" + pollTimeout + ", iframeBudget="
                + iframeBudget + ", iframePadding=" + iframePadding + ", maxBodyBytes=" + maxBodyBytes
                + ", allowedOrigins=" + allowedOrigins + ", cspNonce=" + (cspNonce != null)
                + ", maxHeldConnections=" + maxHeldConnections + ", channelStreamBuffer=" + channelStreamBuffer
                + ", pushTimeout=" + pushTimeout + ", pushBuffer=" + pushBuffer + ", pushPublisher="
                + PushAccess.describe(pushPublisher) + "]";
    }

    private static int atLeast(int v, int min, String name) {
        if (v < min) throw new IllegalArgumentException(name + " must be >= " + min + ": " + v);
        return v;
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration: " + d);
        }
        return d;
    }

    /**
     * Builds {@link CometSettings}. Not thread-safe. Values are checked by {@link #build()}, which
     * fails with {@link IllegalArgumentException} naming the setting and the bad value.
     */
    public static final class Builder {
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration pollTimeout = Duration.ofSeconds(25);
        private long iframeBudget = 1L << 20;
        private int iframePadding = MIN_IFRAME_PADDING;
        private int maxBodyBytes = 64 * 1024;
        private List<String> allowedOrigins = new ArrayList<>();
        private Function<HttpServletRequest, String> cspNonce;
        private int maxHeldConnections = 10_000;
        private int channelStreamBuffer = 1000;
        private Duration pushTimeout = Duration.ofSeconds(30);
        private int pushBuffer = 100;
        private String pushPublisher = PushAccess.OFF;
        private boolean createSessions;

        private Builder() {
        }

        /** Heartbeat period of SSE and iframe streams. Default 15 s. */
        public Builder heartbeat(Duration d) { this.heartbeat = d; return this; }

        /** How long a long-poll is held when there is nothing to send. Default 25 s. */
        public Builder pollTimeout(Duration d) { this.pollTimeout = d; return this; }

        /** Bytes written to one iframe document before it rotates. Default 1 MiB; at least 4096. */
        public Builder iframeBudget(long bytes) { this.iframeBudget = bytes; return this; }

        /** Padding bytes at the start of an iframe document. Default and minimum 2048. */
        public Builder iframePadding(int bytes) { this.iframePadding = bytes; return this; }

        /** Largest accepted POST body; past it 413. Default 64 KiB. */
        public Builder maxBodyBytes(int bytes) { this.maxBodyBytes = bytes; return this; }

        /**
         * Origins (like {@code https://app.example.com}) besides the servlet's own whose POSTs are
         * accepted and which get CORS headers. Replaces any previous list. Default none.
         */
        public Builder allowedOrigins(Collection<String> origins) {
            this.allowedOrigins = new ArrayList<>(Objects.requireNonNull(origins, "origins"));
            return this;
        }

        /** Adds allowed origins; see {@link #allowedOrigins(Collection)}. */
        public Builder allowOrigin(String... origins) {
            for (String o : origins) allowedOrigins.add(Objects.requireNonNull(o, "origin"));
            return this;
        }

        /**
         * Where the CSP nonce of a request comes from (for example a filter that set the
         * {@code Content-Security-Policy} header). Null (the default) for none.
         */
        public Builder cspNonce(Function<HttpServletRequest, String> supplier) { this.cspNonce = supplier; return this; }

        /** Reads the CSP nonce from the request attribute {@code name} (a String). */
        public Builder cspNonceAttribute(String name) {
            Objects.requireNonNull(name, "name");
            this.cspNonce = r -> {
                Object v = r.getAttribute(name);
                return v == null ? null : v.toString();
            };
            return this;
        }

        /** Held requests at once; past it new streams get 503. Default 10,000. */
        public Builder maxHeldConnections(int n) { this.maxHeldConnections = n; return this; }

        /** Messages waiting per {@code /comet/<channel>} stream before it ends. Default 1,000. */
        public Builder channelStreamBuffer(int n) { this.channelStreamBuffer = n; return this; }

        /** How long a {@code /push/sub} request waits for a message. Default 30 s. */
        public Builder pushTimeout(Duration d) { this.pushTimeout = d; return this; }

        /** Messages kept per push channel. Default 100. */
        public Builder pushBuffer(int n) { this.pushBuffer = n; return this; }

        /**
         * Who may use {@code /push/pub}: {@code "off"} (the default), {@code "loopback"}, or a
         * shared secret (at least 16 characters, no whitespace) that the publisher sends in the
         * header {@code X-Halley-Push-Secret}.
         */
        public Builder pushPublisher(String mode) { this.pushPublisher = mode; return this; }

        /**
         * Whether opening a page creates an {@code HttpSession} when the request has none (true),
         * or binds the page to the {@code HALLEY_BROWSER} cookie (false). Default false.
         */
        public Builder createSessions(boolean create) { this.createSessions = create; return this; }

        public CometSettings build() {
            return new CometSettings(this);
        }
    }
}
