package io.halley.servlet;

import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.servlet.internal.ClientScripts;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.InitParams;
import io.halley.servlet.internal.Mount;
import io.halley.servlet.internal.OriginPolicy;
import io.halley.servlet.internal.Routes;
import io.halley.servlet.internal.WriterThreads;
import io.halley.servlet.internal.page.ActionEndpoint;
import io.halley.servlet.internal.page.CallEndpoint;
import io.halley.servlet.internal.page.ChannelEndpoint;
import io.halley.servlet.internal.page.PageEndpoint;
import io.halley.servlet.internal.play.ChannelStreamEndpoint;
import io.halley.servlet.internal.push.PushChannels;
import io.halley.servlet.internal.push.PushEndpoint;
import io.halley.servlet.internal.stream.Connections;
import io.halley.servlet.internal.stream.StreamEndpoint;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Halley endpoint: opens pages, holds their transports (SSE, forever-iframe, long-poll) and
 * serves the browser client. Paths are relative to the mount, {@code /halley/*} by default:
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /halley.js}, {@code /halley.mjs}, {@code /halley.d.ts}</td><td>the client
 *       (ETag, 304, {@code max-age=300})</td></tr>
 *   <tr><td>{@code POST /page}</td><td>opens a page for the caller's session:
 *       {@code {"page","token"}}; 429 past {@code maxPagesPerSession}</td></tr>
 *   <tr><td>{@code GET /page?page=P}</td><td>probe: 200 {@code {"page","alive":true}}, 410, 404, 403</td></tr>
 *   <tr><td>{@code GET /sse?page=P[&since=N]}</td><td>Server-Sent Events ({@code Last-Event-ID} wins over
 *       {@code since})</td></tr>
 *   <tr><td>{@code GET /iframe?page=P&since=N}</td><td>forever-iframe of {@code <script>} chunks</td></tr>
 *   <tr><td>{@code GET /poll?page=P&since=N}</td><td>long-poll {@code {"frames":[...]}}</td></tr>
 *   <tr><td>{@code POST /action/<route>}</td><td>{@code {"page","params"[,"request"]}} + header
 *       {@code X-Halley-Token}: 202 {@code {"request":id}}; the reply arrives on the stream</td></tr>
 *   <tr><td>{@code POST /call/<name>}</td><td>{@code {"page","args"[,"call"]}} + token: 202
 *       {@code {"call":id}}; frames and {@code done}/{@code fail} on the stream ({@link CallEndpoint})</td></tr>
 *   <tr><td>{@code POST /subscribe}, {@code /unsubscribe}, {@code /publish}</td><td>{@code {"page",
 *       "channel"[,"since"|"data"]}} + token, judged by the channel policy ({@link ChannelEndpoint})</td></tr>
 *   <tr><td>{@code GET /comet/<channel>?callback=f[&since=N]}</td><td>a Play-style
 *       {@code <script>} stream of a channel ({@link ChannelStreamEndpoint})</td></tr>
 *   <tr><td>{@code GET /push/sub?channel=C}, {@code POST|GET|DELETE /push/pub?channel=C}</td><td>the
 *       nginx HTTP push subscriber and publisher for jQuery.comet ({@link PushEndpoint})</td></tr>
 * </table>
 *
 * <p>Every error is {@code {"error":"..."}} with the status of its
 * {@link HalleyException.Kind#status() kind} (400, 403, 404, 410, 413, 429), 405 for a wrong method
 * on a known path (with {@code Allow}), 409 for a push subscriber conflict, 503 when
 * {@code maxHeldConnections} requests are held, 503 {@code "temporarily unavailable, retry later"}
 * (with {@code Retry-After}) when a backing service such as Redis cannot answer (its detail, which
 * names hosts and ports, is logged, never sent), and
 * 500 {@code "internal error"} for anything unexpected (logged once at WARN, without page ids or
 * tokens). No stack trace reaches a response.
 *
 * <p><b>Deploying</b>, three ways; each needs {@code asyncSupported}:
 * <ol>
 *   <li>Nothing: the jar's {@code META-INF/web-fragment.xml} (fragment {@code halley}) mounts this
 *   servlet as {@code halley} at {@code /halley/*}, loaded on startup, and registers
 *   {@link HalleySessionListener}.</li>
 *   <li>web.xml: declare a servlet named {@code halley} of this class; its mappings and init-params
 *   replace the fragment's (same servlet name, web.xml wins). Under another name, exclude the
 *   fragment ({@code <absolute-ordering>} without {@code halley}) and add the listener.</li>
 *   <li>An annotated subclass: {@code @WebServlet(name = "halley", urlPatterns = "/halley/*",
 *   asyncSupported = true, loadOnStartup = 1) public class MyComet extends CometServlet {}}, with
 *   {@link #configure(CometSettings.Builder)} and {@link #configure(Halley.Builder)} to set values
 *   in code. Name it {@code halley} so that it replaces the fragment's servlet; two servlets
 *   mapped to the same pattern are refused by the container.</li>
 * </ol>
 *
 * <p><b>Settings</b> come from init-params, then from the {@code configure} hooks. Every setting
 * declared with an init-param in {@link io.halley.core.HalleyConfig#SETTINGS} (the runtime's: for
 * example {@code pageLease} = {@code PT20S} or {@code 20}, {@code fanOutThreads},
 * {@code consumeActions}) and {@link CometSettings#SETTINGS} ({@code heartbeat},
 * {@code allowedOrigins}, {@code cspNonceAttribute}, ...) is accepted under that name; the table
 * of them all is {@code docs/settings.md}. A bad value fails
 * {@link #init()}; an unknown name is logged. The runtime is the {@link Halley} that the
 * application put in the {@link ServletContext} attribute {@code io.halley.core.Halley} before
 * this servlet started (started here if it was not; never closed here), or else one built from the
 * init-params, started, stored under that attribute and closed by {@link #destroy()}.
 *
 * <p>Thread-safe. Requests never block on a held connection: streams are {@code AsyncContext}s
 * written with non-blocking I/O (writes that application threads or the timer ask for run on a
 * few daemon threads {@code halley-servlet-io}); one daemon thread {@code halley-servlet-timer} per servlet runs
 * heartbeats, liveness probes of quiet streams ({@code probeInterval}), poll and push timeouts
 * and the sweep of idle push channels.
 */
public class CometServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(CometServlet.class);

    private transient Halley halley;
    private transient boolean ownsHalley;
    private transient CometSettings settings;
    private transient Connections registry;
    private transient ScheduledThreadPoolExecutor timer;
    private transient ClientScripts scripts;
    private transient OriginPolicy origins;
    private transient Routes routes;
    private transient StreamEndpoint streams;
    private transient PushChannels pushChannels;
    private transient Mount mount;
    private transient WriterThreads writers;
    private transient WriterThreads socketClosers;
    private final transient List<Thread> timerThreads = new CopyOnWriteArrayList<>();
    private transient volatile boolean draining;

    @Override
    public void init() throws ServletException {
        ServletContext ctx = getServletContext();
        Object provided = ctx.getAttribute(Halley.class.getName());
        if (provided != null && !(provided instanceof Halley)) {
            throw new ServletException("ServletContext attribute " + Halley.class.getName() + " holds a "
                    + provided.getClass().getName() + ", not a Halley");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String n : Collections.list(getInitParameterNames())) params.put(n, getInitParameter(n));
        Halley.Builder hb = provided == null ? Halley.builder() : null;
        CometSettings.Builder sb = CometSettings.builder();
        try {
            List<String> unknown = InitParams.apply(params, hb, sb);
            if (!unknown.isEmpty()) LOG.warn("CometServlet {}: unknown init-params {} ignored", getServletName(), unknown);
            configure(sb);
            settings = sb.build();
            if (hb != null) configure(hb);
        } catch (IllegalArgumentException e) {
            throw new ServletException("CometServlet " + getServletName() + ": " + e.getMessage(), e);
        }
        try {
            if (provided != null) {
                Set<String> ignored = new HashSet<>(params.keySet());
                ignored.retainAll(InitParams.HALLEY);
                if (!ignored.isEmpty()) {
                    LOG.warn("CometServlet {}: init-params {} ignored, the application provided the Halley runtime",
                            getServletName(), ignored);
                }
                halley = ((Halley) provided).start();
            } else {
                halley = hb.build().start();
                ownsHalley = true;
                ctx.setAttribute(Halley.class.getName(), halley);
            }
            scripts = ClientScripts.load();
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            throw new ServletException("CometServlet " + getServletName() + ": " + e.getMessage(), e);
        }
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "halley-servlet-timer");
            t.setDaemon(true);
            timerThreads.add(t);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        writers = new WriterThreads();
        socketClosers = new WriterThreads("halley-servlet-ws-close", true);
        origins = OriginPolicy.of(settings);
        registry = new Connections(settings.maxHeldConnections());
        int maxBody = settings.maxBodyBytes();
        pushChannels = new PushChannels(halley, settings.pushBuffer());
        timer.scheduleWithFixedDelay(pushChannels::sweep, 1, 1, TimeUnit.MINUTES);
        long heartbeat = settings.heartbeat().toNanos();
        timer.scheduleAtFixedRate(() -> registry.heartbeat(heartbeat), heartbeat, heartbeat, TimeUnit.NANOSECONDS);
        long tick = Connections.deadlineTickNanos(settings.pollTimeout().compareTo(settings.pushTimeout()) < 0
                ? settings.pollTimeout() : settings.pushTimeout());
        timer.scheduleAtFixedRate(() -> registry.expire(System.nanoTime()), tick, tick, TimeUnit.NANOSECONDS);
        long probe = settings.probeInterval().toNanos();
        if (probe < heartbeat) {
            timer.scheduleAtFixedRate(() -> registry.probe(probe / 2), probe, probe, TimeUnit.NANOSECONDS); // quiet half a period: noticed within about one
        }
        streams = new StreamEndpoint(halley, settings, origins, registry, timer, writers);
        routes = new Routes(scripts, origins, new PageEndpoint(halley, origins, maxBody, settings.createSessions(), settings.keepSessionAlive()),
                streams, new ActionEndpoint(halley, origins, maxBody),
                new CallEndpoint(halley, origins, maxBody), new ChannelEndpoint(halley, origins, maxBody),
                new ChannelStreamEndpoint(halley, settings, registry, timer, writers),
                new PushEndpoint(halley, settings, registry, pushChannels, writers),
                io.halley.servlet.internal.ws.WebSockets.route(halley, settings, origins, registry, timer,
                        socketClosers));
        mount = new Mount(settings, ctx.getContextPath() + mountPath(), origins);
        ctx.setAttribute(Mount.ATTRIBUTE, mount);
        LOG.info("CometServlet {} at {} ({})", getServletName(), mount.base(), settings);
        if (LoggerFactory.getILoggerFactory() instanceof org.slf4j.helpers.NOPLoggerFactory) {
            // Halley logs through SLF4J: without a provider every line (WARNs included) is lost; say so where it is seen
            ctx.log("Halley: no SLF4J provider in this web application, so every Halley log line is lost; add one "
                    + "to WEB-INF/lib (for example org.slf4j:slf4j-jdk14, which logs to the container's log). "
                    + "See docs/containers.md.");
        }
        if (ownsHalley) {
            String line = "CometServlet " + getServletName() + " at " + mount.base() + " built its own runtime from its "
                    + "init-params: no application put a Halley in the ServletContext attribute " + Halley.class.getName()
                    + " before it started. If your application's listener (a @WebListener) should have, it did not run: "
                    + "in a Jetty distribution enable the ee10-annotations module; see docs/containers.md.";
            LOG.info(line);
            ctx.log(line);
        }
    }

    /**
     * Sets servlet settings in code; called by {@link #init()} after the init-params were applied.
     * Does nothing by default.
     */
    protected void configure(CometSettings.Builder settings) {
    }

    /**
     * Sets runtime settings in code; called by {@link #init()} after the init-params were applied,
     * only when this servlet builds the runtime (none in the context). Does nothing by default.
     */
    protected void configure(Halley.Builder halley) {
    }

    /** The runtime this servlet serves; null before {@link #init()}. */
    public Halley halley() {
        return halley;
    }

    /** This servlet's settings; null before {@link #init()}. */
    public CometSettings settings() {
        return settings;
    }

    /** Requests held now (page streams, channel streams, waiting push subscribers), for monitoring and leak tests. */
    public int heldConnections() {
        Connections r = registry;
        return r == null ? 0 : r.count();
    }

    /** Requests waiting for a held-connection slot now (tests of the limit). */
    int waitingForSlot() {
        Connections r = registry;
        return r == null ? 0 : r.waiting();
    }

    /**
     * Stops serving before the container stops: from now on every request is answered 503
     * {@code "shutting down"} with {@code Retry-After} (so a client's reconnect is not held again),
     * and every held request (page streams, {@code /comet} streams, waiting push subscribers) is
     * ended as on {@link #destroy()}, its client told to reconnect. For containers whose graceful
     * shutdown waits for in-flight requests (Spring Boot's), which would otherwise wait its whole
     * timeout for the held ones. Idempotent; {@link #destroy()} still runs later.
     *
     * <p>Any thread; blocks until no request is held or {@code wait} passed.
     *
     * @return true when no request is held any more
     */
    public boolean drain(java.time.Duration wait) {
        draining = true;
        Connections r = registry;
        if (r == null) return true;
        r.shutdownAll();
        long deadline = System.nanoTime() + wait.toNanos();
        while (r.count() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return r.count() == 0;
    }

    /**
     * Pages of the browser named by the Halley session id {@code sessionId} (the {@code HALLEY_BROWSER}
     * cookie's value, or the one kept in its {@code HttpSession}) that hold a page stream counted
     * against {@code maxStreamsPerBrowser} now, for monitoring and tests.
     */
    public int streamsOfBrowser(String sessionId) {
        StreamEndpoint s = streams;
        return s == null ? 0 : s.budget().pagesHeld(sessionId);
    }

    /** Pages of the browser {@code sessionId} on its tabs' shared stream now (0 when it holds none), for monitoring and tests. */
    public int pagesOnSharedStream(String sessionId) {
        StreamEndpoint s = streams;
        return s == null ? 0 : s.pagesOnSharedStream(sessionId);
    }

    /**
     * Ends every held request (waiting up to 2 s for them to complete), removes the push channels'
     * listeners, stops the timer, and closes the runtime if this servlet built it.
     */
    @Override
    public void destroy() {
        ServletContext ctx = getServletContext();
        drain(java.time.Duration.ofSeconds(2));
        if (pushChannels != null) pushChannels.closeAll();
        if (timer != null) stopTimer();
        if (writers != null) writers.close();
        if (socketClosers != null) socketClosers.close();
        if (ownsHalley && halley != null) {
            halley.close();
            if (ctx.getAttribute(Halley.class.getName()) == halley) ctx.removeAttribute(Halley.class.getName());
        }
        if (mount != null && ctx.getAttribute(Mount.ATTRIBUTE) == mount) ctx.removeAttribute(Mount.ATTRIBUTE);
    }

    /** Stops the timer and waits (1 s at most) until its thread is gone, so containers see no leak. */
    private void stopTimer() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
            for (Thread t : timerThreads) t.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Routes every method; the boundary where every failure becomes a JSON error. */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (draining) {
            resp.setHeader("Retry-After", "2");
            answer(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "shutting down");
            return;
        }
        try {
            origins.applyCors(req, resp);
            routes.route(req.getMethod(), path, req, resp);
        } catch (HalleyException e) {
            try {
                Http.discardSmallBody(req, settings.maxBodyBytes());
                Http.refuse(resp, e, req.getMethod() + " " + path);
            } catch (IOException | RuntimeException sendFailed) {
                LOG.debug("could not send error {}: {}", e.kind().status(), sendFailed.toString());
            }
        } catch (IOException e) {
            LOG.debug("client went away during {} {}: {}", req.getMethod(), path, e.toString());
        } catch (RuntimeException e) {
            LOG.warn("unexpected failure serving {} {}", req.getMethod(), path, e);
            answer(resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    private static void answer(HttpServletResponse resp, int status, String message) {
        try {
            Http.error(resp, status, message);
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not send error {}: {}", status, e.toString());
        }
    }

    private String mountPath() {
        try {
            ServletRegistration reg = getServletContext().getServletRegistration(getServletName());
            if (reg != null) {
                for (String m : reg.getMappings()) {
                    if (m.endsWith("/*")) return m.substring(0, m.length() - 2);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot read the servlet's mappings: {}", e.toString());
        }
        return "/halley";
    }
}
