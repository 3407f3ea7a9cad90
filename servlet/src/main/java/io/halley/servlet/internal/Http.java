package io.halley.servlet.internal;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.halley.core.HalleyException;
import io.halley.core.Names;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Small request and response helpers shared by the endpoints: JSON answers, error bodies,
 * bounded body reading and parameter parsing. Stateless; called on the request's thread.
 */
public final class Http {
    /** HTML-safe by default: {@code < > & = '} are written as {@code \\u} escapes. */
    public static final Gson GSON = new Gson();
    public static final String JSON = "application/json; charset=utf-8";

    private Http() {
    }

    /** Headers every Halley response carries: no caching by proxies, no buffering by nginx. */
    public static void noCache(HttpServletResponse resp) {
        resp.setHeader("Cache-Control", "no-cache, no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        resp.setHeader("X-Content-Type-Options", "nosniff");
    }

    /**
     * Sizes the response buffer of a held stream before its first write: {@code bytes} (the
     * {@code streamResponseBuffer} setting), or the container's own when 0. The container keeps
     * that buffer until the stream ends.
     */
    public static void streamBuffer(HttpServletResponse resp, int bytes) {
        if (bytes > 0) resp.setBufferSize(bytes);
    }

    /** Writes {@code body} as a JSON answer with {@code status} (a small blocking write). */
    public static void json(HttpServletResponse resp, int status, JsonElement body) throws IOException {
        byte[] bytes = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        noCache(resp);
        resp.setContentType(JSON);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** Writes {@code {"error": message}} with {@code status}, unless the response is committed. */
    public static void error(HttpServletResponse resp, int status, String message) throws IOException {
        if (resp.isCommitted()) return;
        resp.resetBuffer();
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        json(resp, status, o);
    }

    /**
     * Answers a refusal: a 4xx carries the exception's own message (it describes the request); a
     * 5xx (a backing service such as Redis cannot answer) carries only
     * {@link #UNAVAILABLE_REASON}, because its message names internal hosts, ports and client
     * library text. That detail goes to the log instead: WARN at most once per 10 s, DEBUG
     * otherwise, so that an outage does not flood the log. Request thread; small blocking write.
     */
    public static void refuse(HttpServletResponse resp, HalleyException e, String what) throws IOException {
        int status = e.kind().status();
        if (status < 500) {
            error(resp, status, e.getMessage());
            return;
        }
        long now = System.nanoTime();
        long last = lastUnavailableLog.get();
        if ((now - last > 10_000_000_000L || last == 0) && lastUnavailableLog.compareAndSet(last, now)) {
            org.slf4j.LoggerFactory.getLogger(Http.class).warn("{} answered {}: {}", what, status, e.getMessage());
        } else {
            org.slf4j.LoggerFactory.getLogger(Http.class).debug("{} answered {}: {}", what, status, e.getMessage());
        }
        resp.setHeader("Retry-After", "5");
        error(resp, status, UNAVAILABLE_REASON);
    }

    /** The whole body reason of a 5xx refusal ({@link #refuse}). */
    public static final String UNAVAILABLE_REASON = "temporarily unavailable, retry later";
    private static final java.util.concurrent.atomic.AtomicLong lastUnavailableLog = new java.util.concurrent.atomic.AtomicLong();

    public static HalleyException badInput(String message) {
        return new HalleyException(HalleyException.Kind.BAD_INPUT, message);
    }

    /** The required query parameter {@code name}. */
    public static String required(HttpServletRequest req, String name) {
        String v = parameter(req, name);
        if (v == null || v.isEmpty()) throw badInput("missing parameter '" + name + "'");
        return v;
    }

    /** The required query-string parameter {@code name}, read with {@link #query} (nothing cached on the request). */
    public static String requiredQuery(HttpServletRequest req, String name) {
        String v = query(req, name);
        if (v == null || v.isEmpty()) throw badInput("missing parameter '" + name + "'");
        return v;
    }

    /**
     * {@code req.getParameter(name)}, but a query the container cannot decode (a stray {@code %},
     * invalid UTF-8; Jetty throws its {@code BadMessageException}, a RuntimeException) is a 400
     * BAD_INPUT, not an unexpected failure answered with 500.
     */
    public static String parameter(HttpServletRequest req, String name) {
        try {
            return req.getParameter(name);
        } catch (RuntimeException e) {
            throw badInput("malformed query string");
        }
    }

    /**
     * The query-string parameter {@code name} (UTF-8), or null. Unlike {@code getParameter} it
     * never reads a form body, so the body stays for the endpoint.
     */
    public static String query(HttpServletRequest req, String name) {
        String q = req.getQueryString();
        if (q == null) return null;
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (!decode(key).equals(name)) continue;
            return eq < 0 ? "" : decode(pair.substring(eq + 1));
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badInput("malformed query string");
        }
    }

    /** A non-negative sequence from {@code value}, or {@code dflt} when absent. */
    public static long sequence(String value, String what, long dflt) {
        if (value == null || value.isEmpty()) return dflt;
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw badInput(what + " is not a number");
        }
        if (n < 0) throw badInput(what + " must not be negative: " + n);
        return n;
    }

    /**
     * Reads the request body as a JSON object, at most {@code max} bytes; an empty body is an
     * empty object. Blocking read on the request's thread (bodies are small and bounded).
     *
     * @throws HalleyException TOO_LARGE past {@code max}, BAD_INPUT for anything but a JSON object
     */
    public static JsonObject jsonBody(HttpServletRequest req, int max) throws IOException {
        String text = new String(body(req, max), StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) return new JsonObject();
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw badInput("body must be a JSON object");
            return e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw badInput("body is not valid JSON");
        }
    }

    /**
     * Reads and drops a small request body that an early refusal left unread (a declared length of
     * at most {@code max}), so that the client's keep-alive connection stays usable for its next
     * request: a container that finds unread content may close the connection, and a client that
     * already sent its next request on it sees no answer. A chunked or larger body is left alone
     * (the connection then closes, as it must). Blocking read of at most {@code max} bytes on the
     * request's thread; a failure is ignored (the answer goes out regardless).
     */
    public static void discardSmallBody(HttpServletRequest req, int max) {
        long n = req.getContentLengthLong();
        if (n <= 0 || n > max || req.isAsyncStarted()) return;
        try {
            InputStream in = req.getInputStream();
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            for (long left = n; left > 0; ) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) break;
                left -= r;
            }
        } catch (IOException | IllegalStateException e) {
            // the body was read another way, or the client went away: nothing to keep
        }
    }

    /**
     * Reads the request body, at most {@code max} bytes. A declared {@code Content-Length} over
     * {@code max} is refused before anything is read; a chunked body is read only up to the
     * limit. Blocking read on the request's thread (bodies are small and bounded).
     *
     * @throws HalleyException TOO_LARGE past {@code max}
     */
    public static byte[] body(HttpServletRequest req, int max) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > max) throw tooLarge(max);
        ByteArrayOutputStream buf = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        byte[] chunk = new byte[8192];
        try (InputStream in = req.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (buf.size() + n > max) throw tooLarge(max);
                buf.write(chunk, 0, n);
            }
        }
        return buf.toByteArray();
    }

    /** The channel named by the string member {@code "channel"} of {@code body}. */
    public static String channel(JsonObject body) {
        String c = string(body, "channel");
        if (c == null) throw badInput("missing 'channel' in body");
        return Names.requireChannel(c);
    }

    /** The string member {@code name} of {@code body}, or null when absent. */
    public static String string(JsonObject body, String name) {
        JsonElement e = body.get(name);
        if (e == null || e.isJsonNull()) return null;
        if (!e.isJsonPrimitive()) throw badInput("'" + name + "' must be a string");
        return e.getAsString();
    }

    /** {@code s} cut to 64 characters, for error messages. */
    public static String abbreviate(String s) {
        if (s == null) return "null";
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    private static HalleyException tooLarge(int max) {
        return new HalleyException(HalleyException.Kind.TOO_LARGE, "body exceeds " + max + " bytes (maxBodyBytes)");
    }
}
