package io.halley.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * The browser client, served from the jar: {@code /halley.js} (classic script), {@code /halley.mjs}
 * (the same text plus the ES module exports of {@code halley-module-tail.js}, as in the npm package
 * folder the build makes in {@code servlet/target/npm/halley-client}) and {@code /halley.d.ts}. Loaded once; each with a strong
 * ETag (a SHA-256 of its bytes), {@code Cache-Control: public, max-age=300} and 304 for a matching
 * {@code If-None-Match}. Immutable and thread-safe.
 */
public final class ClientScripts {
    private static final String JS = "application/javascript; charset=utf-8";

    private record Asset(byte[] bytes, String type, String etag) {
    }

    private final Map<String, Asset> assets;

    private ClientScripts(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /**
     * Reads the scripts from the classpath.
     *
     * @throws IOException when a resource is missing from the jar
     */
    public static ClientScripts load() throws IOException {
        String js = resource("halley.js");
        String dts = resource("halley.d.ts");
        String moduleTail = resource("halley-module-tail.js");
        return new ClientScripts(Map.of(
                "/halley.js", asset(js, JS),
                "/halley.mjs", asset(js + moduleTail, JS),
                "/halley.d.ts", asset(dts, "application/typescript; charset=utf-8")));
    }

    /** Whether {@code path} (relative to the mount) names a script. */
    boolean has(String path) {
        return assets.containsKey(path);
    }

    /** Answers a GET for {@code path} (a small blocking write on the request's thread). */
    void serve(String path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Asset a = assets.get(path);
        resp.setHeader("ETag", a.etag());
        resp.setHeader("Cache-Control", "public, max-age=300");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        if (matches(req.getHeader("If-None-Match"), a.etag())) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(a.type());
        resp.setContentLength(a.bytes().length);
        resp.getOutputStream().write(a.bytes());
    }

    /** RFC 9110 weak comparison, as If-None-Match uses: {@code *} or any listed tag. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.trim();
            if (tag.equals("*")) return true;
            if (tag.startsWith("W/")) tag = tag.substring(2);
            if (tag.equals(etag)) return true;
        }
        return false;
    }

    private static Asset asset(String text, String type) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String tag = Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
            return new Asset(bytes, type, "\"" + tag + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ClientScripts.class.getResourceAsStream("/io/halley/servlet/" + name)) {
            if (in == null) throw new IOException("resource io/halley/servlet/" + name + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
