package io.halley.servlet.internal;

import io.halley.core.HalleyException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Which origins may send state-changing requests: the servlet's own origin (as the request sees
 * it: scheme, {@code Host}, port) plus {@link CometSettings#allowedOrigins()}.
 *
 * <p>Decisions: a POST that acts on a page must carry an {@code Origin} header, or a
 * {@code Referer} when {@code Origin} is absent; with neither it is refused (403), because every
 * browser sends one of them on such a request. {@code POST /page}, which only creates a page for
 * the caller's own session, is accepted without either (non-browser clients) but refused when one
 * is present and foreign. Behind a TLS-terminating proxy the request's scheme must be restored by
 * the container (Jetty's {@code ForwardedRequestCustomizer}, Tomcat's {@code RemoteIpValve}) or
 * the public origin listed in {@code allowedOrigins}.
 *
 * <p>Thread-safe and immutable.
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    public OriginPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /**
     * Checks the request's {@code Origin} (or {@code Referer}).
     *
     * @param required whether a request with neither header is refused
     * @throws HalleyException FORBIDDEN for a foreign or missing origin
     */
    public void check(HttpServletRequest req, boolean required) {
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
        if (source == null || !(source.equals(own(req)) || allowed.contains(source))) {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "origin not allowed");
        }
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

    static String own(HttpServletRequest req) {
        String host = req.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) host = "[" + host + "]";
        return format(req.getScheme(), host, req.getServerPort());
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
