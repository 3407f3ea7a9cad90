package io.halley.demo;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.servlet.HalleyPages;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo endpoint acting on one page: {@code POST} a JSON object {@code {"page": id, ...}} with the
 * page token in the {@code X-Halley-Token} header (or, for {@code navigator.sendBeacon}, which
 * cannot set headers, in the body's {@code "token"}). Checked before {@link #handle} runs, with
 * the same rules as Halley's own endpoints:
 *
 * <ul>
 *   <li>same origin: an {@code Origin} (or else {@code Referer}) header naming this server (403);</li>
 *   <li>the body is a JSON object of at most 16 KiB (400, 413);</li>
 *   <li>the page is alive (404, 410) and owned by the caller's HTTP session (403);</li>
 *   <li>the token is the page's (403).</li>
 * </ul>
 *
 * <p>Errors are {@code {"error": "..."}} with the status of the {@link HalleyException.Kind}; the
 * answer on success is the JSON object {@link #handle} returns. Called on the request's thread.
 */
abstract class PagePost extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(PagePost.class);
    private static final Gson GSON = new Gson();
    static final int MAX_BODY = 16 * 1024;

    /** The runtime. */
    protected final transient Halley halley;

    PagePost(Halley halley) {
        this.halley = halley;
    }

    /**
     * Acts on {@code page}, already checked.
     *
     * @return the JSON answer (200)
     * @throws HalleyException for an answer with its kind's status
     */
    abstract JsonObject handle(Page page, JsonObject body, HttpServletRequest req);

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonObject answer;
        try {
            requireSameOrigin(req);
            JsonObject body = readBody(req);
            String token = req.getHeader("X-Halley-Token");
            if (token == null) token = string(body, "token");
            Page page = halley.page(required(body, "page"), HalleyPages.sessionId(req));
            if (!page.checkToken(token)) throw new HalleyException(HalleyException.Kind.FORBIDDEN, "wrong page token");
            answer = handle(page, body, req);
        } catch (HalleyException e) {
            write(resp, e.kind().status(), error(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.warn("{} failed", req.getRequestURI(), e);
            write(resp, 500, error("internal error"));
            return;
        }
        write(resp, 200, answer);
    }

    /** The string member {@code name}, or null when absent. */
    static String string(JsonObject body, String name) {
        JsonElement e = body.get(name);
        if (e == null || e.isJsonNull()) return null;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw bad("'" + name + "' must be a string");
        return e.getAsString();
    }

    /** The string member {@code name}; BAD_INPUT when absent. */
    static String required(JsonObject body, String name) {
        String s = string(body, name);
        if (s == null) throw bad("missing '" + name + "'");
        return s;
    }

    static HalleyException bad(String message) {
        return new HalleyException(HalleyException.Kind.BAD_INPUT, message);
    }

    static JsonObject ok() {
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        return o;
    }

    /** The body as a JSON object of at most {@link #MAX_BODY} bytes: BAD_INPUT, TOO_LARGE otherwise. */
    static JsonObject readBody(HttpServletRequest req) throws IOException {
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) throw new HalleyException(HalleyException.Kind.TOO_LARGE, "body over " + MAX_BODY + " bytes");
        try {
            JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) throw bad("body must be a JSON object");
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw bad("body is not JSON");
        }
    }

    /** Refuses a request whose {@code Origin} (else {@code Referer}) is missing or another server's. */
    static void requireSameOrigin(HttpServletRequest req) {
        String source = req.getHeader("Origin");
        if (source == null) source = req.getHeader("Referer");
        if (source == null || !own(req).equals(origin(source))) {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "origin not allowed");
        }
    }

    private static String own(HttpServletRequest req) {
        return normalize(req.getScheme(), req.getServerName(), req.getServerPort());
    }

    private static String origin(String url) {
        try {
            URI u = URI.create(url.trim());
            if (u.getScheme() == null || u.getHost() == null) return null;
            return normalize(u.getScheme(), u.getHost(), u.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String normalize(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) h = "[" + h + "]";
        boolean dflt = port < 0 || (s.equals("http") && port == 80) || (s.equals("https") && port == 443);
        return dflt ? s + "://" + h : s + "://" + h + ":" + port;
    }

    static JsonObject error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return o;
    }

    /** Writes {@code body} as the JSON answer with {@code status}, never cached. */
    static void write(HttpServletResponse resp, int status, JsonObject body) throws IOException {
        byte[] bytes = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json; charset=utf-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
