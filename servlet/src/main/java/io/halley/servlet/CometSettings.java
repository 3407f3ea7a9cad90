package io.halley.servlet;

import io.halley.core.settings.Setting;
import io.halley.core.settings.SettingGroup;
import io.halley.core.settings.ValueType;
import io.halley.servlet.internal.OriginPolicy;
import io.halley.servlet.internal.TrustedProxies;
import io.halley.servlet.internal.push.PushAccess;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
 * <p>Every setting is declared once below ({@link #SETTINGS}): name, type, default, valid values,
 * meaning, builder method and init-param. The constructor checks values with those declarations,
 * {@link CometServlet} reads its init-params through them, and the table in
 * {@code docs/settings.md} is rendered from them.
 *
 * <p>Keep {@code heartbeat} and {@code pollTimeout} below the container's and any proxy's idle
 * timeout (Jetty's default connector idle timeout is 30 s).
 */
public final class CometSettings {
    /** The smallest iframe padding: browsers buffer the first kilobytes of a document. */
    public static final int MIN_IFRAME_PADDING = 2048;

    /** The settings of {@link Builder}, in declaration order. */
    public static final SettingGroup<Builder> SETTINGS = SettingGroup.of("Servlet (`CometSettings`)",
            "CometSettings.builder()", "How `CometServlet`'s held connections behave on the wire. Set in code by "
            + "overriding `CometServlet.configure(CometSettings.Builder)`, or in web.xml with the init-params below "
            + "(applied first, then `configure`).");

    private static final String POSITIVE = "a positive duration";

    public static final Setting<Builder, Duration> HEARTBEAT = SETTINGS.define("heartbeat", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(15)).check(POSITIVE, CometSettings::positive)
            .meaning("period of the SSE comment and the iframe heartbeat script; also how dead sockets are noticed "
                    + "(a write to a closed socket fails)")
            .setter(Builder::heartbeat).initParam().build();
    public static final Setting<Builder, Duration> PROBE_INTERVAL = SETTINGS.define("probeInterval", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(1)).check(POSITIVE, CometSettings::positive)
            .meaning("an SSE, iframe or `/comet` stream that wrote nothing for this long gets a few bytes its client "
                    + "ignores (`:` and a newline; a newline), so that a client that reset its connection is noticed and its "
                    + "slot freed within about this long: an HTTP/1.1 container reads nothing of a held request, only a "
                    + "write finds the connection gone. A value of `heartbeat` or more leaves it to the heartbeat")
            .setter(Builder::probeInterval).initParam().build();
    public static final Setting<Builder, Duration> POLL_TIMEOUT = SETTINGS.define("pollTimeout", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(25)).check(POSITIVE, CometSettings::positive)
            .meaning("a long-poll with nothing to send is answered `{\"frames\":[]}` after this long (up to a 25th of it later, between 10 ms and 1 s)")
            .setter(Builder::pollTimeout).initParam().build();
    public static final Setting<Builder, Long> IFRAME_BUDGET = SETTINGS.define("iframeBudget", ValueType.LONG_BYTES)
            .defaultValue(1L << 20).check(">= 4096 bytes", n -> n >= 4096)
            .meaning("bytes written to one forever-iframe before it rotates (the client opens a fresh one)")
            .setter(Builder::iframeBudget).initParam().build();
    public static final Setting<Builder, Integer> IFRAME_PADDING = SETTINGS.define("iframePadding", ValueType.INT_BYTES)
            .defaultValue(MIN_IFRAME_PADDING)
            .check("between " + MIN_IFRAME_PADDING + " and 1048576 bytes", n -> n >= MIN_IFRAME_PADDING && n <= (1 << 20))
            .meaning("padding at the start of an iframe document, so that browsers start rendering at once")
            .setter(Builder::iframePadding).initParam().build();
    public static final Setting<Builder, Integer> STREAM_RESPONSE_BUFFER = SETTINGS.define("streamResponseBuffer", ValueType.INT_BYTES)
            .defaultValue(() -> 0, "0: the container's (Jetty: its `outputBufferSize`, 32 KiB; Tomcat: 8 KiB)")
            .check("0, or between 1024 and 1048576 bytes", n -> n == 0 || (n >= 1024 && n <= (1 << 20)))
            .meaning("the response buffer (`setBufferSize`) of each held SSE, iframe, shared or `/comet` stream: a container "
                    + "keeps one per held stream until it ends (Jetty: a direct buffer from its pool, taken at the stream's "
                    + "first write) and sends a longer write in pieces this large, so a smaller one saves memory per idle "
                    + "stream and costs CPU when streams get much at once (see [containers.md](containers.md#memory-per-held-connection)); "
                    + "long-poll answers keep the container's")
            .setter(Builder::streamResponseBuffer).initParam().build();
    public static final Setting<Builder, Integer> MAX_BODY_BYTES = SETTINGS.define("maxBodyBytes", ValueType.INT_BYTES)
            .defaultValue(64 * 1024).check(">= 64", n -> n >= 64)
            .meaning("largest POST body; a larger one gets 413 without being read whole")
            .setter(Builder::maxBodyBytes).initParam().build();
    public static final Setting<Builder, List<String>> ALLOWED_ORIGINS = SETTINGS.define("allowedOrigins", ValueType.list())
            .defaultValue(List.of())
            .validate("origins such as `https://app.example.com`", CometSettings::normalizeOrigins)
            .meaning("origins besides the servlet's own whose POSTs are accepted and that get CORS headers; "
                    + "same-origin only by default")
            .setter(Builder::allowedOrigins).builderMethod("`allowedOrigins(Collection<String>)`, `allowOrigin(String...)`")
            .initParam().build();
    public static final Setting<Builder, List<String>> TRUSTED_PROXIES = SETTINGS.define("trustedProxies", ValueType.list())
            .defaultValue(List.of(TrustedProxies.LOOPBACK))
            .validate("`loopback` (127.0.0.0/8 and ::1), IP addresses, CIDR ranges such as `10.0.0.0/8`; empty for none",
                    TrustedProxies::check)
            .meaning("peers whose `Forwarded` / `X-Forwarded-Host`, `-Proto`, `-Port` headers give this server's public "
                    + "origin for the origin check; loopback by default: a proxy on the same host (nginx, Apache) is the "
                    + "usual case, and only a process on this host can connect from there (see "
                    + "[deployment.md](deployment.md))")
            .setter(Builder::trustedProxies).builderMethod("`trustedProxies(Collection<String>)`")
            .initParam().build();
    public static final Setting<Builder, Function<HttpServletRequest, String>> CSP_NONCE = SETTINGS.define("cspNonce",
                    ValueType.<Function<HttpServletRequest, String>>code("Function<HttpServletRequest, String>"))
            .noDefault("none")
            .meaning("where the CSP nonce of a request comes from, for the `<script>` tags of the iframe stream and "
                    + "the bootstrap (for example a request attribute that the filter setting `Content-Security-Policy` set)")
            .setter(Builder::cspNonce)
            .builderMethod("`cspNonce(Function<HttpServletRequest, String>)`, `cspNonceAttribute(String)`")
            .initParam("cspNonceAttribute", "the name of the request attribute holding the nonce", (b, name) -> {
                if (name.isEmpty()) throw new IllegalArgumentException("empty attribute name");
                b.cspNonceAttribute(name);
            }).build();
    public static final Setting<Builder, Integer> MAX_HELD_CONNECTIONS = SETTINGS.define("maxHeldConnections", ValueType.INT)
            .defaultValue(10_000).check(">= 1", n -> n >= 1)
            .meaning("held requests at once (page streams, `/comet` streams and waiting `/push/sub` together); past "
                    + "it new ones get 503 with `Retry-After`")
            .setter(Builder::maxHeldConnections).initParam().build();
    public static final Setting<Builder, Integer> MAX_STREAMS_PER_BROWSER = SETTINGS.define("maxStreamsPerBrowser", ValueType.INT)
            .defaultValue(4).check(">= 0", n -> n >= 0)
            .meaning("page streams (SSE, iframe, held long-polls) one browser (one Halley session id) may hold at once "
                    + "over HTTP/1.x, where a browser has 6 connections per host and each held stream takes one; past it a "
                    + "new stream is answered at once with an advice to poll every `overBudgetPollInterval`, which "
                    + "`halley.js` follows, so the browser's other requests keep a connection. Not applied over HTTP/2, "
                    + "where streams share one connection; 0 for no budget")
            .setter(Builder::maxStreamsPerBrowser).initParam().build();
    public static final Setting<Builder, Duration> OVER_BUDGET_POLL_INTERVAL = SETTINGS.define("overBudgetPollInterval",
                    ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(2)).check(POSITIVE, CometSettings::positive)
            .meaning("how often a page past `maxStreamsPerBrowser` is advised to poll; each such poll is answered at "
                    + "once with the frames there are")
            .setter(Builder::overBudgetPollInterval).initParam().build();
    public static final Setting<Builder, Duration> SHARED_PAGE_TIMEOUT = SETTINGS.define("sharedPageTimeout",
                    ValueType.DURATION)
            .defaultValue(Duration.ofMinutes(2)).check("at least 4 s", d -> d != null && d.compareTo(Duration.ofSeconds(4)) >= 0)
            .meaning("how long a page stays on its browser's shared stream without word from its tab: `halley.js` "
                    + "renews each page on it every quarter of this (`POST /here`), and a page not renewed in time "
                    + "(its tab crashed or was killed without `pagehide`) is taken off, its lease starting as when its "
                    + "tab closes. Browsers run the timers of background tabs once a minute at worst, so keep it over 1 min")
            .setter(Builder::sharedPageTimeout).initParam().build();
    public static final Setting<Builder, Integer> CHANNEL_STREAM_BUFFER = SETTINGS.define("channelStreamBuffer", ValueType.INT)
            .defaultValue(1000).check(">= 1", n -> n >= 1)
            .meaning("messages waiting per `/comet/<channel>` stream for a slow reader; past it the stream ends and "
                    + "the client resumes with `since`")
            .setter(Builder::channelStreamBuffer).initParam().build();
    public static final Setting<Builder, Duration> PUSH_TIMEOUT = SETTINGS.define("pushTimeout", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(30)).check(POSITIVE, CometSettings::positive)
            .meaning("how long a `/push/sub` request waits for a message before it is answered with an empty 200 (never 304; up to a 25th of it later, between 10 ms and 1 s)")
            .setter(Builder::pushTimeout).initParam().build();
    public static final Setting<Builder, Integer> PUSH_BUFFER = SETTINGS.define("pushBuffer", ValueType.INT)
            .defaultValue(100).check(">= 1", n -> n >= 1)
            .meaning("messages kept per push channel for `/push/sub` (older ones are read from the channel history)")
            .setter(Builder::pushBuffer).initParam().build();
    public static final Setting<Builder, String> PUSH_PUBLISHER = SETTINGS.define("pushPublisher", ValueType.STRING)
            .defaultValue(PushAccess.OFF)
            .validate("`off`, `loopback` (127.0.0.0/8 and ::1), or a shared secret of at least " + PushAccess.MIN_SECRET
                    + " printable characters without spaces", PushAccess::check)
            .secret()
            .meaning("who may use `/push/pub`; a secret is sent by the publisher in the header `"
                    + PushAccess.SECRET_HEADER + "`")
            .setter(Builder::pushPublisher).initParam().build();
    public static final Setting<Builder, Boolean> CREATE_SESSIONS = SETTINGS.define("createSessions", ValueType.BOOLEAN)
            .defaultValue(false)
            .meaning("whether opening a page creates an `HttpSession` when the request has none; by default such a "
                    + "page is bound to a `HALLEY_BROWSER` cookie instead (a request with a session always uses it)")
            .setter(Builder::createSessions).initParam().build();
    public static final Setting<Builder, Boolean> KEEP_SESSION_ALIVE = SETTINGS.define("keepSessionAlive", ValueType.BOOLEAN)
            .defaultValue(true)
            .meaning("whether an open page keeps its `HttpSession` alive: `POST /page` and the page probe answer "
                    + "`touch` (a third of the session's timeout, 1 s at least) and `halley.js` requests `GET /page` that "
                    + "often while it is connected, since a held stream does not renew its session on Tomcat or Jetty; "
                    + "false lets idle sessions end while their pages are open")
            .setter(Builder::keepSessionAlive).initParam().build();
    public static final Setting<Builder, List<String>> USER_ROLES = SETTINGS.define("userRoles", ValueType.list())
            .defaultValue(List.of())
            .meaning("the roles the default user resolver asks the container about (`isUserInRole`) when a page opens; "
                    + "a page's user has those it is in (`User.hasRole`), for channel rules, callbacks and actions")
            .setter(Builder::userRoles).builderMethod("`userRoles(Collection<String>)`").initParam().build();
    public static final Setting<Builder, UserResolver> USER_RESOLVER = SETTINGS.define("userResolver",
                    ValueType.<UserResolver>code("UserResolver"))
            .noDefault("`UserResolver.container(userRoles)`: the container's `getUserPrincipal()`")
            .meaning("who a request's user is: a page gets that user when it opens, and a later request of that page "
                    + "from another identity gets 410 and the page ends (see [users.md](users.md))")
            .setter(Builder::userResolver)
            .builderMethod("`userResolver(UserResolver)`, `userSessionAttribute(String)`")
            .initParam("userSessionAttribute", "the name of the session attribute holding the user (a `User`, a "
                    + "`Principal` or a name)", (b, name) -> {
                if (name.isEmpty()) throw new IllegalArgumentException("empty attribute name");
                b.userSessionAttribute(name);
            }).build();

    private final Duration heartbeat;
    private final Duration pollTimeout;
    private final Duration probeInterval;
    private final long iframeBudget;
    private final int iframePadding;
    private final int streamResponseBuffer;
    private final int maxBodyBytes;
    private final Set<String> allowedOrigins;
    private final List<String> trustedProxies;
    private final Function<HttpServletRequest, String> cspNonce;
    private final int maxHeldConnections;
    private final int maxStreamsPerBrowser;
    private final Duration overBudgetPollInterval;
    private final Duration sharedPageTimeout;
    private final int channelStreamBuffer;
    private final Duration pushTimeout;
    private final int pushBuffer;
    private final String pushPublisher;
    private final boolean createSessions;
    private final boolean keepSessionAlive;
    private final List<String> userRoles;
    private final UserResolver userResolver; // null: the container's, with userRoles
    private final UserResolver effectiveResolver;

    private CometSettings(Builder b) {
        this.heartbeat = HEARTBEAT.check(b.heartbeat);
        this.pollTimeout = POLL_TIMEOUT.check(b.pollTimeout);
        this.probeInterval = PROBE_INTERVAL.check(b.probeInterval);
        this.iframePadding = IFRAME_PADDING.check(b.iframePadding);
        this.streamResponseBuffer = STREAM_RESPONSE_BUFFER.check(b.streamResponseBuffer);
        this.iframeBudget = IFRAME_BUDGET.check(b.iframeBudget);
        this.maxBodyBytes = MAX_BODY_BYTES.check(b.maxBodyBytes);
        this.maxHeldConnections = MAX_HELD_CONNECTIONS.check(b.maxHeldConnections);
        this.maxStreamsPerBrowser = MAX_STREAMS_PER_BROWSER.check(b.maxStreamsPerBrowser);
        this.overBudgetPollInterval = OVER_BUDGET_POLL_INTERVAL.check(b.overBudgetPollInterval);
        this.sharedPageTimeout = SHARED_PAGE_TIMEOUT.check(b.sharedPageTimeout);
        this.channelStreamBuffer = CHANNEL_STREAM_BUFFER.check(b.channelStreamBuffer);
        this.pushTimeout = PUSH_TIMEOUT.check(b.pushTimeout);
        this.pushBuffer = PUSH_BUFFER.check(b.pushBuffer);
        this.pushPublisher = PUSH_PUBLISHER.check(b.pushPublisher);
        this.allowedOrigins = Collections.unmodifiableSet(new LinkedHashSet<>(ALLOWED_ORIGINS.check(b.allowedOrigins)));
        this.trustedProxies = List.copyOf(TRUSTED_PROXIES.check(b.trustedProxies));
        this.cspNonce = CSP_NONCE.check(b.cspNonce);
        this.createSessions = CREATE_SESSIONS.check(b.createSessions);
        this.keepSessionAlive = KEEP_SESSION_ALIVE.check(b.keepSessionAlive);
        this.userRoles = List.copyOf(USER_ROLES.check(b.userRoles));
        this.userResolver = USER_RESOLVER.check(b.userResolver);
        this.effectiveResolver = userResolver != null ? userResolver : UserResolver.container(userRoles);
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
        b.probeInterval = probeInterval;
        b.iframeBudget = iframeBudget;
        b.iframePadding = iframePadding;
        b.streamResponseBuffer = streamResponseBuffer;
        b.maxBodyBytes = maxBodyBytes;
        b.allowedOrigins = new ArrayList<>(allowedOrigins);
        b.trustedProxies = new ArrayList<>(trustedProxies);
        b.cspNonce = cspNonce;
        b.maxHeldConnections = maxHeldConnections;
        b.maxStreamsPerBrowser = maxStreamsPerBrowser;
        b.overBudgetPollInterval = overBudgetPollInterval;
        b.sharedPageTimeout = sharedPageTimeout;
        b.channelStreamBuffer = channelStreamBuffer;
        b.pushTimeout = pushTimeout;
        b.pushBuffer = pushBuffer;
        b.pushPublisher = pushPublisher;
        b.createSessions = createSessions;
        b.keepSessionAlive = keepSessionAlive;
        b.userRoles = new ArrayList<>(userRoles);
        b.userResolver = userResolver;
        return b;
    }

    public Duration heartbeat() { return heartbeat; }

    public Duration pollTimeout() { return pollTimeout; }

    /** How long a held stream may write nothing before a liveness probe is written to it. */
    public Duration probeInterval() { return probeInterval; }

    public long iframeBudget() { return iframeBudget; }

    public int iframePadding() { return iframePadding; }

    /** Bytes of the response buffer a held stream asks its container for ({@code setBufferSize}); 0: the container's. */
    public int streamResponseBuffer() { return streamResponseBuffer; }

    public int maxBodyBytes() { return maxBodyBytes; }

    /** Normalised origins ({@code scheme://host[:port]}, lower case, default ports omitted). */
    public Set<String> allowedOrigins() { return allowedOrigins; }

    /** The peers whose forwarding headers are honoured ({@code loopback}, IP addresses, CIDR ranges). */
    public List<String> trustedProxies() { return trustedProxies; }

    public int maxHeldConnections() { return maxHeldConnections; }

    /** Page streams one browser may hold at once over HTTP/1.x; 0 for no budget. */
    public int maxStreamsPerBrowser() { return maxStreamsPerBrowser; }

    /** How often a page past {@link #maxStreamsPerBrowser()} is advised to poll. */
    public Duration overBudgetPollInterval() { return overBudgetPollInterval; }

    /** {@link #SHARED_PAGE_TIMEOUT}. */
    public Duration sharedPageTimeout() { return sharedPageTimeout; }

    public int channelStreamBuffer() { return channelStreamBuffer; }

    public Duration pushTimeout() { return pushTimeout; }

    public int pushBuffer() { return pushBuffer; }

    /** {@code off}, {@code loopback} or the shared secret. */
    public String pushPublisher() { return pushPublisher; }

    /** Whether opening a page creates an {@code HttpSession} when the request has none. */
    public boolean createSessions() { return createSessions; }

    /** Whether open pages keep their {@code HttpSession} alive (the client touches it; see {@link #KEEP_SESSION_ALIVE}). */
    public boolean keepSessionAlive() { return keepSessionAlive; }

    /** The roles the default user resolver asks about. */
    public List<String> userRoles() { return userRoles; }

    /** Who a request's user is: the {@code userResolver} set, else {@link UserResolver#container} with {@link #userRoles()}. */
    public UserResolver userResolver() { return effectiveResolver; }

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
        return "CometSettings[heartbeat=" + heartbeat + ", pollTimeout=" + pollTimeout + ", probeInterval=" + probeInterval + ", iframeBudget="
                + iframeBudget + ", iframePadding=" + iframePadding
                + ", streamResponseBuffer=" + streamResponseBuffer + ", maxBodyBytes=" + maxBodyBytes
                + ", allowedOrigins=" + allowedOrigins + ", trustedProxies=" + trustedProxies + ", cspNonce=" + (cspNonce != null)
                + ", maxHeldConnections=" + maxHeldConnections + ", maxStreamsPerBrowser=" + maxStreamsPerBrowser
                + ", overBudgetPollInterval=" + overBudgetPollInterval + ", sharedPageTimeout=" + sharedPageTimeout
                + ", channelStreamBuffer=" + channelStreamBuffer
                + ", pushTimeout=" + pushTimeout + ", pushBuffer=" + pushBuffer + ", pushPublisher="
                + PushAccess.describe(pushPublisher) + ", keepSessionAlive=" + keepSessionAlive + ", userRoles=" + userRoles + ", userResolver="
                + (userResolver == null ? "container" : "custom") + "]";
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static List<String> normalizeOrigins(List<String> origins) {
        List<String> normalised = new ArrayList<>(origins.size());
        for (String o : origins) normalised.add(OriginPolicy.normalize(o));
        return normalised;
    }

    /**
     * Builds {@link CometSettings}. Not thread-safe. Values are checked by {@link #build()}, which
     * fails with {@link IllegalArgumentException} naming the setting and the bad value.
     */
    public static final class Builder {
        private Duration heartbeat = HEARTBEAT.defaultValue();
        private Duration pollTimeout = POLL_TIMEOUT.defaultValue();
        private Duration probeInterval = PROBE_INTERVAL.defaultValue();
        private long iframeBudget = IFRAME_BUDGET.defaultValue();
        private int iframePadding = IFRAME_PADDING.defaultValue();
        private int streamResponseBuffer = STREAM_RESPONSE_BUFFER.defaultValue();
        private int maxBodyBytes = MAX_BODY_BYTES.defaultValue();
        private List<String> allowedOrigins = new ArrayList<>(ALLOWED_ORIGINS.defaultValue());
        private List<String> trustedProxies = new ArrayList<>(TRUSTED_PROXIES.defaultValue());
        private Function<HttpServletRequest, String> cspNonce = CSP_NONCE.defaultValue();
        private int maxHeldConnections = MAX_HELD_CONNECTIONS.defaultValue();
        private int maxStreamsPerBrowser = MAX_STREAMS_PER_BROWSER.defaultValue();
        private Duration overBudgetPollInterval = OVER_BUDGET_POLL_INTERVAL.defaultValue();
        private Duration sharedPageTimeout = SHARED_PAGE_TIMEOUT.defaultValue();
        private int channelStreamBuffer = CHANNEL_STREAM_BUFFER.defaultValue();
        private Duration pushTimeout = PUSH_TIMEOUT.defaultValue();
        private int pushBuffer = PUSH_BUFFER.defaultValue();
        private String pushPublisher = PUSH_PUBLISHER.defaultValue();
        private boolean createSessions = CREATE_SESSIONS.defaultValue();
        private boolean keepSessionAlive = KEEP_SESSION_ALIVE.defaultValue();
        private List<String> userRoles = new ArrayList<>(USER_ROLES.defaultValue());
        private UserResolver userResolver = USER_RESOLVER.defaultValue();

        private Builder() {
        }

        /** Sets {@link #HEARTBEAT}: heartbeat period of SSE and iframe streams. */
        public Builder heartbeat(Duration d) { this.heartbeat = d; return this; }

        /** Sets {@link #PROBE_INTERVAL}: how long a held stream may be quiet before a liveness probe. */
        public Builder probeInterval(Duration d) { this.probeInterval = d; return this; }

        /** Sets {@link #POLL_TIMEOUT}: how long a long-poll is held when there is nothing to send. */
        public Builder pollTimeout(Duration d) { this.pollTimeout = d; return this; }

        /** Sets {@link #IFRAME_BUDGET}: bytes written to one iframe document before it rotates. */
        public Builder iframeBudget(long bytes) { this.iframeBudget = bytes; return this; }

        /** Sets {@link #IFRAME_PADDING}: padding bytes at the start of an iframe document. */
        public Builder iframePadding(int bytes) { this.iframePadding = bytes; return this; }

        /** Sets {@link #STREAM_RESPONSE_BUFFER}: the response buffer of each held stream. */
        public Builder streamResponseBuffer(int bytes) { this.streamResponseBuffer = bytes; return this; }

        /** Sets {@link #MAX_BODY_BYTES}: largest accepted POST body. */
        public Builder maxBodyBytes(int bytes) { this.maxBodyBytes = bytes; return this; }

        /**
         * Sets {@link #ALLOWED_ORIGINS}: origins (like {@code https://app.example.com}) besides the
         * servlet's own whose POSTs are accepted. Replaces any previous list.
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
         * Sets {@link #TRUSTED_PROXIES}: the peers ({@code loopback}, IP addresses, CIDR ranges)
         * whose {@code Forwarded} / {@code X-Forwarded-*} headers give this server's public origin.
         * Replaces any previous list; an empty one trusts no peer.
         */
        public Builder trustedProxies(Collection<String> proxies) {
            this.trustedProxies = new ArrayList<>(Objects.requireNonNull(proxies, "proxies"));
            return this;
        }

        /**
         * Sets {@link #CSP_NONCE}: where the CSP nonce of a request comes from (for example a filter
         * that set the {@code Content-Security-Policy} header). Null for none.
         */
        public Builder cspNonce(Function<HttpServletRequest, String> supplier) { this.cspNonce = supplier; return this; }

        /** Sets {@link #CSP_NONCE} to read the request attribute {@code name} (a String); init-param {@code cspNonceAttribute}. */
        public Builder cspNonceAttribute(String name) {
            Objects.requireNonNull(name, "name");
            this.cspNonce = r -> {
                Object v = r.getAttribute(name);
                return v == null ? null : v.toString();
            };
            return this;
        }

        /** Sets {@link #MAX_HELD_CONNECTIONS}: held requests at once. */
        public Builder maxHeldConnections(int n) { this.maxHeldConnections = n; return this; }

        /** Sets {@link #MAX_STREAMS_PER_BROWSER}: page streams one browser may hold over HTTP/1.x (0: no budget). */
        public Builder maxStreamsPerBrowser(int n) { this.maxStreamsPerBrowser = n; return this; }

        /** Sets {@link #OVER_BUDGET_POLL_INTERVAL}: how often a page past the browser's budget is advised to poll. */
        public Builder overBudgetPollInterval(Duration d) { this.overBudgetPollInterval = d; return this; }

        /** Sets {@link #SHARED_PAGE_TIMEOUT}: how long a page stays on a shared stream without word from its tab. */
        public Builder sharedPageTimeout(Duration d) { this.sharedPageTimeout = d; return this; }

        /** Sets {@link #CHANNEL_STREAM_BUFFER}: messages waiting per {@code /comet/<channel>} stream. */
        public Builder channelStreamBuffer(int n) { this.channelStreamBuffer = n; return this; }

        /** Sets {@link #PUSH_TIMEOUT}: how long a {@code /push/sub} request waits for a message. */
        public Builder pushTimeout(Duration d) { this.pushTimeout = d; return this; }

        /** Sets {@link #PUSH_BUFFER}: messages kept per push channel. */
        public Builder pushBuffer(int n) { this.pushBuffer = n; return this; }

        /**
         * Sets {@link #PUSH_PUBLISHER}: who may use {@code /push/pub}: {@code "off"},
         * {@code "loopback"}, or a shared secret that the publisher sends in the header
         * {@code X-Halley-Push-Secret}.
         */
        public Builder pushPublisher(String mode) { this.pushPublisher = mode; return this; }

        /**
         * Sets {@link #CREATE_SESSIONS}: whether opening a page creates an {@code HttpSession} when
         * the request has none (true), or binds the page to the {@code HALLEY_BROWSER} cookie (false).
         */
        public Builder createSessions(boolean create) { this.createSessions = create; return this; }

        /** Sets {@link #KEEP_SESSION_ALIVE}: whether open pages keep their {@code HttpSession} alive. */
        public Builder keepSessionAlive(boolean keep) { this.keepSessionAlive = keep; return this; }

        /** Sets {@link #USER_ROLES}: the roles the default resolver asks the container about. */
        public Builder userRoles(Collection<String> roles) {
            this.userRoles = new ArrayList<>(Objects.requireNonNull(roles, "roles"));
            return this;
        }

        /** Sets {@link #USER_RESOLVER}: who a request's user is (null for the container's). */
        public Builder userResolver(UserResolver resolver) { this.userResolver = resolver; return this; }

        /** Sets {@link #USER_RESOLVER} to {@link UserResolver#sessionAttribute} {@code name}; init-param {@code userSessionAttribute}. */
        public Builder userSessionAttribute(String name) {
            this.userResolver = UserResolver.sessionAttribute(Objects.requireNonNull(name, "name"));
            return this;
        }

        public CometSettings build() {
            return new CometSettings(this);
        }
    }
}
