package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzz over every endpoint: odd methods (PROPFIND, TRACE …), long and odd paths (%00,
 * invalid UTF-8), junk query values (negative, huge, CR/LF), junk headers and bodies (invalid
 * UTF-8, wrong JSON types, huge numbers, deep nesting). Never a 5xx, never a stack trace; every
 * error Halley answers is a JSON {@code {"error"}} (the container may refuse unparseable requests
 * itself with a 4xx before Halley sees them). A page's stream opened before the fuzz still works
 * after it. {@code -Dhalley.seed=} replays a run; the seed is in every failure.
 */
class FuzzTest extends ScenarioTest {
    static final int CASES = Integer.getInteger("halley.fuzzCases", 1500);

    @Test
    void fuzzedRequestsNeverGet500OrAStackTraceAndAnOpenStreamSurvives() {
        long seed = Long.getLong("halley.seed", System.nanoTime());
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            TestServer server = start(params("pageLease", "PT60S", "pollTimeout", "PT0.2S", "pushTimeout", "PT0.2S"));
            server.halley().register("x", (r, args) -> "ok");
            server.halley().action("x", params -> "ok");
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef kept = b.openPage();   // its stream is held through the fuzz
            HttpBrowser.PageRef target = b.openPage(); // the fuzz may use this one's id and token
            FrameStream stream = Transport.SSE.open(b, kept.page(), 0);
            assertEquals(200, stream.status());
            Random rnd = new Random(seed);
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < CASES && failures.size() < 10; i++) {
                String request = request(rnd, server, b, target);
                String problem = check(send(server.port(), request), request.startsWith("HEAD "));
                if (problem != null) {
                    failures.add("case " + i + ": " + problem + "\n  request: "
                            + abbreviate(request.replace("\r\n", "\\r\\n")));
                }
            }
            assertTrue(failures.isEmpty(), "seed=" + seed + " (-Dhalley.seed=" + seed + "):\n" + String.join("\n", failures));

            server.page(kept.page()).writer().text("#a", "after the fuzz").flush();
            assertEquals(1, stream.next().get("seq").getAsLong(), "the stream opened before the fuzz works (seed=" + seed + ")");
            stream.close();
        });
    }

    /** The regression the fuzz found: a query the container cannot decode was a 500 with a logged stack trace. */
    @Test
    void malformedQueryStringsGet400JsonNot500() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            TestServer server = start(params("pushTimeout", "PT0.2S"));
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            for (String path : new String[] {"/sse", "/iframe", "/poll", "/comet/news", "/push/sub"}) {
                for (String q : new String[] {"page=" + p.page() + "%", "page=%FF%FE&since=0", "page=" + p.page() + "&since=%C3%28",
                    "since=%&page=" + p.page()}) {
                    String req = "GET " + server.base().getRawPath() + path + "?" + q + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: "
                            + b.cookieHeader() + "\r\nConnection: close\r\n\r\n";
                    Answer a = send(server.port(), req);
                    assertEquals(null, check(a, false), path + "?" + q);
                    assertEquals(400, a.status(), path + "?" + q + ": " + a.body());
                }
            }
        });
    }

    // ---- generating ---------------------------------------------------------------------------

    static final String[] METHODS = {"GET", "POST", "POST", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD",
        "PROPFIND", "TRACE", "MKCOL", "CONNECTX"};

    static String request(Random r, TestServer server, HttpBrowser b, HttpBrowser.PageRef p) {
        String method = pick(r, METHODS);
        String[] paths = {"/page", "/sse", "/iframe", "/poll", "/action/x", "/call/x", "/subscribe", "/unsubscribe",
            "/publish", "/comet/news", "/push/sub", "/push/pub", "/halley.js", "/", "", "/nope", "/page%00",
            "/call/%00", "/call/" + "y".repeat(300), "/action/..%2F..%2Fetc", "/%C3%28", "/%FF%FE", "/page/",
            "/" + "a".repeat(2000 + r.nextInt(10000)), "/sse;jsessionid=x", "/call/x%0D%0AInjected:1"};
        String path = server.base().getRawPath() + pick(r, paths);
        StringBuilder q = new StringBuilder();
        String[] names = {"page", "since", "channel", "name", "since", "page"};
        int params = r.nextInt(4);
        for (int i = 0; i < params; i++) {
            q.append(q.length() == 0 ? "?" : "&").append(pick(r, names)).append('=').append(value(r, p));
        }
        if (r.nextInt(20) == 0) q.append(q.length() == 0 ? "?" : "&").append("%00=%00");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:" + server.port());
        if (r.nextInt(3) > 0) headers.put("Cookie", r.nextInt(10) == 0 ? "JSESSIONID=" + value(r, p) : b.cookieHeader());
        if (r.nextInt(3) > 0) headers.put("Origin", pick(r, new String[] {b.origin(), b.origin(), "null", "https://evil.example",
            "%%%", "http://127.0.0.1:" + server.port() + "/x/../", "javascript:alert(1)", "http://[::1"}));
        if (r.nextInt(2) == 0) headers.put("X-Halley-Token", r.nextInt(2) == 0 ? p.token() : value(r, p));
        if (r.nextInt(4) == 0) headers.put("Last-Event-ID", value(r, p));
        if (r.nextInt(3) == 0) headers.put("Referer", pick(r, new String[] {b.origin() + "/x", "garbage", "https://evil.example/"}));
        byte[] body = r.nextInt(5) == 0 && !method.equals("POST") ? new byte[0] : body(r, p);
        if (r.nextInt(4) > 0) headers.put("Content-Type", pick(r, new String[] {"application/json", "application/json; charset=ISO-8859-1",
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=--x", "garbage/☃"}));
        StringBuilder s = new StringBuilder().append(method).append(' ').append(path).append(q).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
        if (r.nextInt(15) == 0) {
            s.append("Content-Length: ").append(r.nextBoolean() ? "-5" : "99999999999999999999").append("\r\n");
        } else if (body.length > 0 || r.nextBoolean()) {
            s.append("Content-Length: ").append(body.length).append("\r\n");
        }
        s.append("Connection: close\r\n\r\n");
        return s + new String(body, StandardCharsets.ISO_8859_1);
    }

    static String value(Random r, HttpBrowser.PageRef p) {
        String[] values = {p.page(), p.page(), "", "-1", "-9223372036854775808", "9223372036854775808",
            "99999999999999999999999999", "1e309", "NaN", "0x10", "+1", "%EF%BC%91", "abc", "%00", "%FF%FE", "%C3%28",
            "%0D%0AX-Injected:%201", "A".repeat(3000), "AAAAAAAAAAAAAAAAAAAAAA", p.page() + "%00", "..%2F..", "%E2%80%A8",
            "0", "1", "3", "news", "%3Cscript%3E", "%25", "%"};
        return pick(r, values);
    }

    static byte[] body(Random r, HttpBrowser.PageRef p) {
        String pg = "\"page\":\"" + p.page() + "\"";
        String[] bodies = {"{" + pg + "}", "{}", "", "null", "[]", "\"str\"", "42", "{\"page\":123}", "{\"page\":[1,2]}",
            "{\"page\":{\"a\":1}}", "{\"page\":null}", "{" + pg + ",\"args\":\"x\"}", "{" + pg + ",\"args\":[1e400]}",
            "{" + pg + ",\"args\":[" + "9".repeat(5000) + "]}", "{" + pg + ",\"call\":\"a\\r\\nb\"}",
            "{" + pg + ",\"channel\":\"a\\r\\nb\"}", "{" + pg + ",\"channel\":123}", "{" + pg + ",\"channel\":\"\"}",
            "{" + pg + ",\"channel\":\"" + "c".repeat(5000) + "\"}", "{" + pg + ",\"data\":{\"x\":[1,2,{\"y\":null}]}}",
            "{" + pg + ",\"params\":[" + "[".repeat(3000) + "]".repeat(3000) + "]}", "[".repeat(20000),
            "{" + pg + ",\"since\":-5}", "{" + pg + ",\"listenOnly\":\"yes\"}", "{" + pg + ",\"page\":\"dup\"}",
            "{\"page\":\"" + p.page(), "{" + pg + ",\"x\":\"\\uD800\"}", "{" + pg + ",\"x\":\"\\u0000\"}",
            "page=" + p.page() + "&channel=news", "{" + pg + ",\"args\":[1,2,3],\"call\":\"" + "k".repeat(100) + "\"}"};
        byte[] b = pick(r, bodies).getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(6) == 0) { // invalid UTF-8 somewhere
            byte[] junk = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
            byte[] out = new byte[b.length + junk.length];
            int at = b.length == 0 ? 0 : r.nextInt(b.length);
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(junk, 0, out, at, junk.length);
            System.arraycopy(b, at, out, at + junk.length, b.length - at);
            b = out;
        }
        return b;
    }

    static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    // ---- sending and checking -----------------------------------------------------------------

    record Answer(int status, Map<String, String> headers, String body, String error) {
    }

    static Answer send(int port, String request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String status = line(in);
            if (status == null) return new Answer(-1, Map.of(), "", "connection closed without an answer");
            Map<String, String> headers = new LinkedHashMap<>();
            String h;
            while ((h = line(in)) != null && !h.isEmpty()) {
                int c = h.indexOf(':');
                if (c > 0) headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
            }
            int code = Integer.parseInt(status.substring(9, 12));
            String type = headers.getOrDefault("content-type", "");
            String body = "";
            if (code >= 200 && code < 300 && (type.startsWith("text/event-stream") || type.startsWith("text/html"))) {
                body = ""; // a held stream: its head is the answer
            } else if (request.startsWith("HEAD ")) {
                body = "";
            } else if (headers.containsKey("content-length")) {
                body = new String(in.readNBytes((int) Math.min(1 << 20, Long.parseLong(headers.get("content-length")))), StandardCharsets.UTF_8);
            } else {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                int n;
                while (buf.size() < (1 << 20) && (n = in.read(chunk)) >= 0) buf.write(chunk, 0, n);
                body = buf.toString(StandardCharsets.UTF_8);
            }
            return new Answer(code, headers, body, null);
        } catch (IOException e) {
            return new Answer(-1, Map.of(), "", e.toString());
        }
    }

    /** Null when fine, else what is wrong. */
    static String check(Answer a, boolean head) {
        if (a.error() != null) {
            // the server may close on a request it cannot parse; a reset without answer is not a 500 but must be rare
            return a.error().contains("Read timed out") ? "no answer within 5 s: " + a.error() : null;
        }
        if (a.status() >= 500) return "status " + a.status() + ": " + abbreviate(a.body());
        String body = a.body();
        if (body.contains("Exception") || body.contains("\tat ") || body.contains(".java:")) {
            return "stack trace in the body: " + abbreviate(body);
        }
        boolean halley = "no".equals(a.headers().get("x-accel-buffering"));
        if (a.status() >= 400 && halley && !head) {
            if (!a.headers().getOrDefault("content-type", "").startsWith("application/json")) {
                return "error " + a.status() + " not JSON: " + a.headers().get("content-type");
            }
            try {
                JsonElement e = JsonParser.parseString(body);
                if (!e.isJsonObject() || !e.getAsJsonObject().has("error")) return "error without {\"error\"}: " + abbreviate(body);
            } catch (RuntimeException e) {
                return "error body not JSON: " + abbreviate(body);
            }
        }
        return null;
    }

    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
                return sb.toString();
            }
            sb.append((char) c);
            if (sb.length() > 65536) break;
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…(" + s.length() + ")";
    }
}
