package io.halley.servlet.internal;

import io.halley.core.HalleyException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which origins may send state-changing requests: the servlet's own origin (as the request sees
 * it: scheme, {@code Host}, port) plus {@link CometSettings#allowedOrigins()}.
 *
 * <p>Decisions: a POST that acts on a page must carry an {@code Origin} header, or a
 * {@code Referer} when {@code Origin} is absent; with neither it is refused (403), because every
 * browser sends one of them on such a request. {@code POST /page}, which only creates a page for
 * the caller's own session, is accepted without either (non-browser clients) but refused when one
 * is present and foreign.
 *
 * <p><b>Fetch Metadata first.</b> A request whose {@code Sec-Fetch-Site} is {@code same-origin} is
 * accepted: the browser itself says the page that sent it has the origin of the URL it sent it to,
 * as the browser sees both, whatever a proxy did to {@code Host} on the way; a page cannot set or
 * forge that header (it is a forbidden header name), and a non-browser client that forges it
 * cannot make a browser carry a victim's cookies (which is what the origin check is against).
 * Browsers send it to potentially trustworthy origins (https, and loopback addresses), so behind an
 * https proxy even a plain {@code proxy_pass} works. Any other value ({@code same-site},
 * {@code cross-site}, {@code none}) or none at all goes on to the origin comparison below.
 *
 * <p><b>Behind a proxy</b> the servlet's own origin is the one the proxy forwards: a request from a
 * {@linkplain TrustedProxies trusted proxy} with {@code Forwarded} or {@code X-Forwarded-Host|Proto|Port}
 * is checked against that origin (the container may also restore it: Jetty's
 * {@code ForwardedRequestCustomizer}, Tomcat's {@code RemoteIpValve}); or the public origin is
 * listed in {@code allowedOrigins}. A refusal names the origin seen and the one expected, and the
 * first refusal of each origin is logged at WARN with a pointer to {@code docs/deployment.md} (a
 * plain {@code proxy_pass}, which forwards the upstream address as {@code Host}, shows up so).
 *
 * <p>Thread-safe; immutable but for the bounded set of origins already warned about.
 */
public final class OriginPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(OriginPolicy.class);
    /** Origins warned about at most (a flood of made-up origins must not grow memory). */
    static final int MAX_WARNED = 256;
    private final Set<String> allowed;
    private final TrustedProxies proxies;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public OriginPolicy(Set<String> allowed, TrustedProxies proxies) {
        this.allowed = Set.copyOf(allowed);
        this.proxies = proxies;
    }

    /** The origin check that {@code settings} describe: their allowed origins and trusted proxies. */
    public static OriginPolicy of(io.halley.servlet.CometSettings settings) {
        return new OriginPolicy(settings.allowedOrigins(), new TrustedProxies(settings.trustedProxies()));
    }

    /**
     * Checks the request's {@code Origin} (or {@code Referer}).
     *
     * @param required whether a request with neither header is refused
     * @throws HalleyException FORBIDDEN for a foreign or missing origin
     */
    public void check(HttpServletRequest req, boolean required) {
        if ("same-origin".equals(req.getHeader("Sec-Fetch-Site"))) return;
        String origin = req.getHeader("Origin");
        String source;
        if (origin != null) {
            source = normalizeOrNull(origin);
        } else {
            String referer = req.getHeader("Referer");
            if (referer == null) {
                if (required) throw new HalleyException(HalleyException.Kind.FORBIDDEN, "missing Origin or Referer header");
                return;
            }
            source = normalizeOrNull(referer);
        }
        if (source != null && allowed.contains(source)) return;
        String own = own(req);
        if (source != null && source.equals(own)) return;
        String seen = source != null ? source : "'" + Http.abbreviate(origin != null ? origin : req.getHeader("Referer")) + "'";
        if (source != null && warned.size() < MAX_WARNED && warned.add(source)) {
            LOG.warn("refused {} {} from origin {}: this server's origin is {} as the request says (Host {}, from {}). "
                    + "Behind a proxy, forward the public host (nginx: proxy_set_header Host $http_host, or "
                    + "X-Forwarded-Host/-Proto from a trustedProxies address) or list the origin in allowedOrigins; "
                    + "see docs/deployment.md", req.getMethod(), req.getRequestURI(), source, own,
                    Http.abbreviate(req.getHeader("Host")), req.getRemoteAddr());
        }
        throw new HalleyException(HalleyException.Kind.FORBIDDEN, "origin not allowed: the request came from " + seen
                + " but this server is " + own + " (behind a proxy? forward the public Host; see docs/deployment.md)");
    }

    /** The request's {@code Origin} if it is one of {@code allowedOrigins} (a CORS origin), else null. */
    String corsOrigin(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        if (origin == null) return null;
        String n = normalizeOrNull(origin);
        return n != null && allowed.contains(n) ? origin : null;
    }

    /**
     * Adds CORS headers for an allowed cross origin; a no-op for any other request, and when they
     * were added already. {@link CometServlet} calls it for every request before routing, so every
     * answer (errors too: a client must see a 410 or 404 as such, not as a network failure) carries
     * them: {@code POST /page}, the page POSTs, {@code GET /sse} (an {@code EventSource} with
     * {@code withCredentials}), {@code /iframe}, {@code /poll}, the {@code GET /page} probe and the
     * channel streams. Credentials are allowed, so the session cookie travels (it must be sent by
     * the browser: same-site, or {@code SameSite=None; Secure} on https).
     */
    public void applyCors(HttpServletRequest req, HttpServletResponse resp) {
        String origin = corsOrigin(req);
        if (origin == null || resp.containsHeader("Access-Control-Allow-Origin")) return;
        resp.setHeader("Access-Control-Allow-Origin", origin);
        resp.setHeader("Access-Control-Allow-Credentials", "true");
        resp.addHeader("Vary", "Origin");
    }

    /** Answers a CORS preflight: 204 for an allowed cross origin, else FORBIDDEN. */
    void preflight(HttpServletRequest req, HttpServletResponse resp) {
        if (corsOrigin(req) == null) throw new HalleyException(HalleyException.Kind.FORBIDDEN, "origin not allowed");
        applyCors(req, resp);
        resp.setHeader("Access-Control-Allow-Methods", "GET, POST");
        resp.setHeader("Access-Control-Allow-Headers", "Content-Type, X-Halley-Token, Last-Event-ID");
        resp.setHeader("Access-Control-Max-Age", "600");
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** The servlet's own origin for {@code req}: the one a trusted proxy forwarded, else the request's. */
    String own(HttpServletRequest req) {
        String forwarded = proxies.forwardedOrigin(req);
        return forwarded != null ? forwarded : direct(req);
    }

    private static String direct(HttpServletRequest req) {
        String host = req.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) host = "[" + host + "]";
        return format(scheme(req), host, req.getServerPort());
    }

    /**
     * The request's scheme as an origin's: {@code https} for a secure request whatever
     * {@code getScheme()} says (Jetty 12 answers {@code http} for an HTTP/2 extended CONNECT over
     * TLS: the WebSocket of RFC 8441), {@code ws}/{@code wss} as {@code http}/{@code https}.
     */
    static String scheme(HttpServletRequest req) {
        String s = req.getScheme() == null ? "http" : req.getScheme().toLowerCase(Locale.ROOT);
        if (req.isSecure() || s.equals("wss")) return "https";
        return s.equals("ws") ? "http" : s;
    }

    /**
     * {@code scheme://host[:port]} in lower case with the default port omitted.
     *
     * @throws IllegalArgumentException for anything that is not an http(s) origin or URL
     */
    public static String normalize(String origin) {
        String n = normalizeOrNull(origin);
        if (n == null) throw new IllegalArgumentException("not an http(s) origin: '" + origin + "'");
        return n;
    }

    private static String normalizeOrNull(String s) {
        if (s == null) return null;
        try {
            URI u = new URI(s.trim());
            String scheme = u.getScheme();
            String host = u.getHost();
            if (scheme == null || host == null) return null;
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) return null;
            return format(scheme, host, u.getPort());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String format(String scheme, String host, int port) {
        scheme = scheme.toLowerCase(Locale.ROOT);
        int dflt = scheme.equals("https") ? 443 : 80;
        String h = host.toLowerCase(Locale.ROOT);
        return port < 0 || port == dflt ? scheme + "://" + h : scheme + "://" + h + ":" + port;
    }
}
