package io.halley.testing;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.servlet.CometServlet;
import io.halley.servlet.CometSettings;
import io.halley.testing.http2.Http2Mode;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A real servlet container on a loopback port with a {@link CometServlet} at
 * {@code <context>/halley/*}, HTTP sessions and the {@code HalleySessionListener}: what a browser
 * talks to in a test. {@link #jetty()} builds one on embedded Jetty 12 (ee10).
 *
 * <pre>{@code
 * try (TestServer server = TestServer.jetty().settings(s -> s.heartbeat(Duration.ofMillis(200))).start()) {
 *     HttpBrowser browser = new HttpBrowser(server);
 *     HttpBrowser.PageRef page = browser.openPage();
 *     ...
 * } // close(): no held request, no live page, no halley- thread may be left
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} blocks (bounded) and fails with an {@link AssertionError} when
 * something leaked. Subclass it only to put Halley in another container (the constructor takes
 * the servlet that container serves).
 */
public abstract class TestServer implements AutoCloseable {
    /** The wait of {@link #close()} for held requests to end. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final CometServlet servlet;
    private final String contextPath;
    private final Halley providedRuntime;
    private final Http2Mode mode;

    /**
     * A server speaking plain HTTP/1.1.
     *
     * @param servlet the servlet the container serves
     * @param contextPath {@code ""} for the root context, else {@code "/name"}
     * @param providedRuntime the runtime put in the context for the servlet (closed by
     *        {@link #close()}), or null when the servlet builds its own
     */
    protected TestServer(CometServlet servlet, String contextPath, Halley providedRuntime) {
        this(servlet, contextPath, providedRuntime, Http2Mode.HTTP_1_1);
    }

    /** As above, for a container whose port speaks {@code mode} (h2c, or h2 over TLS: then {@link #origin()} is https). */
    protected TestServer(CometServlet servlet, String contextPath, Halley providedRuntime, Http2Mode mode) {
        this.servlet = Objects.requireNonNull(servlet, "servlet");
        this.contextPath = contextPath;
        this.providedRuntime = providedRuntime;
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** A builder for a Jetty 12 (ee10) server; nothing starts before {@link Builder#start()}. */
    public static Builder jetty() {
        return new Builder();
    }

    /** Init-params for fast tests: heartbeat 0.2 s, poll timeout 1 s, page lease 5 s. */
    public static Map<String, String> fastParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("heartbeat", "0.2");
        p.put("pollTimeout", "PT1S");
        p.put("pageLease", "PT5S");
        return p;
    }

    /** The local port (stays the same after {@link #stop()}). */
    public abstract int port();

    /** Stops the container now (held streams end as the container ends them); checks nothing. */
    public abstract void stop() throws Exception;

    /**
     * Stops the web application only (the servlet is destroyed and ends its streams) while the
     * container keeps listening and answers its URLs with an error: a node that is up but does
     * not serve Halley.
     */
    public abstract void undeploy() throws Exception;

    /** Whether {@link #stop()} or {@link #undeploy()} ran. */
    public abstract boolean isStopped();

    /** The servlet serving Halley. */
    public CometServlet servlet() {
        return servlet;
    }

    /** The runtime the servlet serves. */
    public Halley halley() {
        return servlet.halley();
    }

    /** What the port speaks: HTTP/1.1 (the default), h2c, or h2 over TLS. */
    public Http2Mode http2Mode() {
        return mode;
    }

    /** {@code http://127.0.0.1:port} ({@code https} over TLS): the origin of pages served by this server. */
    public String origin() {
        return mode.scheme() + "://127.0.0.1:" + port();
    }

    /** {@code http://127.0.0.1:port<context>}. */
    public URI root() {
        return URI.create(origin() + contextPath);
    }

    /** {@code http://127.0.0.1:port<context>/halley}: what halley.js takes as its base. */
    public URI base() {
        return URI.create(origin() + contextPath + "/halley");
    }

    /** {@link #base()} followed by {@code pathAndQuery} (e.g. {@code "/page"}). */
    public URI uri(String pathAndQuery) {
        return URI.create(base() + pathAndQuery);
    }

    /** The live page {@code id}, whatever its session; fails when there is none. */
    public Page page(String id) {
        return halley().pages().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no live page " + id));
    }

    /**
     * Waits ({@link #CLOSE_WAIT}) until no request is held, then {@link #stopAndCheck()}: a held
     * request is a leak, and so is anything {@link #stopAndCheck()} finds.
     */
    @Override
    public void close() throws Exception {
        try {
            if (!isStopped()) LeakCheck.awaitNoHeldRequests(this, CLOSE_WAIT);
        } finally {
            stopAndCheck();
        }
    }

    /**
     * Stops the server now (streams may be held), closes a provided runtime, and asserts that
     * nothing is left: no held request, no live page, no {@code halley-} thread (10 s at most).
     */
    public void stopAndCheck() throws Exception {
        Halley h = halley();
        stop();
        if (providedRuntime != null) providedRuntime.close();
        LeakCheck.assertNothingHeld(this);
        if (h != null) LeakCheck.assertNoLivePages(h);
        LeakCheck.awaitNoThreads();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " at " + base();
    }

    /**
     * What the Jetty test server serves: a {@link CometServlet} (one of the application's, or one
     * configured here), its init-params, extra servlets, the context path, the port and the
     * session cookie. Not thread-safe; use from the test's thread.
     */
    public static final class Builder {
        String contextPath = "";
        int port;
        CometServlet servlet;
        Consumer<CometSettings.Builder> settings;
        Consumer<Halley.Builder> runtimeSettings;
        Halley runtime;
        String sessionCookie;
        Http2Mode mode = Http2Mode.HTTP_1_1;
        final Map<String, String> initParams = new LinkedHashMap<>();
        final Map<String, HttpServlet> extraServlets = new LinkedHashMap<>();
        Consumer<org.eclipse.jetty.ee10.servlet.ServletContextHandler> contextCustomizer;

        Builder() {
        }

        /** The context path: {@code ""} (the default, the root) or {@code "/name"}. */
        public Builder contextPath(String path) {
            if (!path.isEmpty() && (!path.startsWith("/") || path.endsWith("/"))) {
                throw new IllegalArgumentException("context path must be \"\" or \"/name\": " + path);
            }
            this.contextPath = path;
            return this;
        }

        /** The port, e.g. that of a stopped server to restart on it; 0 (the default) for a random one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The servlet to serve (an application's subclass); by default a plain {@link CometServlet}. */
        public Builder servlet(CometServlet servlet) {
            this.servlet = servlet;
            return this;
        }

        /** One init-param of the servlet (names as {@link CometServlet} documents them). */
        public Builder initParam(String name, String value) {
            initParams.put(name, value);
            return this;
        }

        /** Init-params of the servlet, e.g. {@link TestServer#fastParams()}. */
        public Builder initParams(Map<String, String> params) {
            initParams.putAll(params);
            return this;
        }

        /** Servlet settings in code, applied after the init-params (not with {@link #servlet}). */
        public Builder settings(Consumer<CometSettings.Builder> settings) {
            this.settings = settings;
            return this;
        }

        /** Runtime settings in code, e.g. {@code h -> h.pageLease(...)} (not with {@link #servlet} or {@link #runtime}). */
        public Builder halley(Consumer<Halley.Builder> runtimeSettings) {
            this.runtimeSettings = runtimeSettings;
            return this;
        }

        /**
         * The runtime to serve (e.g. one on Redis), put in the context for the servlet; the server
         * closes it in {@link TestServer#close()} and {@link TestServer#stopAndCheck()}, not in {@link TestServer#stop()}.
         */
        public Builder runtime(Halley runtime) {
            this.runtime = runtime;
            return this;
        }

        /** The name of the session cookie (Jetty's default {@code JSESSIONID} if not set). */
        public Builder sessionCookie(String name) {
            this.sessionCookie = name;
            return this;
        }

        /**
         * What the port speaks: {@link Http2Mode#HTTP_1_1} (the default), {@link Http2Mode#H2C}
         * (HTTP/1.1 and h2c), or {@link Http2Mode#H2} (TLS with ALPN, the {@code SelfSignedKeystore};
         * HTTP/1.1 over TLS too). An {@link HttpBrowser} of the server speaks it.
         */
        public Builder http2(Http2Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Another servlet of the web application at {@code pathSpec} (e.g. {@code "/chat/*"}). */
        public Builder servlet(String pathSpec, HttpServlet servlet) {
            extraServlets.put(pathSpec, servlet);
            return this;
        }

        /**
         * Changes the Jetty web application before it starts, e.g. to install a
         * {@code ConstraintSecurityHandler} with a login service for container authentication.
         */
        public Builder jettyContext(Consumer<org.eclipse.jetty.ee10.servlet.ServletContextHandler> customizer) {
            this.contextCustomizer = customizer;
            return this;
        }

        /** Starts the server; blocks until it listens. */
        public TestServer start() throws Exception {
            return new JettyTestServer(this, cometServlet());
        }

        private CometServlet cometServlet() {
            if (servlet != null) {
                if (settings != null || runtimeSettings != null) {
                    throw new IllegalStateException("settings(...) and halley(...) configure the kit's servlet;"
                            + " an application servlet configures itself");
                }
                return servlet;
            }
            if (runtime != null && runtimeSettings != null) {
                throw new IllegalStateException("halley(...) builds a runtime; runtime(...) provides one");
            }
            Consumer<CometSettings.Builder> s = settings;
            Consumer<Halley.Builder> h = runtimeSettings;
            return new CometServlet() {
                @Override
                protected void configure(CometSettings.Builder b) {
                    if (s != null) s.accept(b);
                }

                @Override
                protected void configure(Halley.Builder b) {
                    if (h != null) h.accept(b);
                }
            };
        }
    }
}
