package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The browser client is served cacheably, and its frame ordering accepts a resync frame. */
class ClientScriptTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    static String resource(String name) throws Exception {
        try (InputStream in = ClientScriptTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void halleyJsIsServedWithAStrongEtagAnd304() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.Resp js = b.get("/halley.js");
            assertEquals(200, js.status());
            assertEquals("application/javascript;charset=utf-8", js.header("Content-Type").replace(" ", "").toLowerCase());
            assertEquals("public, max-age=300", js.header("Cache-Control"));
            String etag = js.header("ETag");
            assertTrue(etag.startsWith("\"") && etag.endsWith("\"") && etag.length() > 10, "strong ETag: " + etag);
            assertEquals(resource("halley.js"), js.body());

            HttpBrowser.Resp same = b.get("/halley.js", "If-None-Match", etag);
            assertEquals(304, same.status());
            assertEquals("", same.body());
            assertEquals(etag, same.header("ETag"));
            assertEquals(304, b.get("/halley.js", "If-None-Match", "\"other\", W/" + etag).status());
            assertEquals(200, b.get("/halley.js", "If-None-Match", "\"other\"").status());

            HttpBrowser.Resp mjs = b.get("/halley.mjs");
            assertEquals(200, mjs.status());
            assertEquals("application/javascript;charset=utf-8", mjs.header("Content-Type").replace(" ", "").toLowerCase());
            assertEquals(resource("halley.js") + "\nconst Halley = globalThis.Halley; export default Halley; export { Halley };\n",
                    mjs.body());
            assertNotEquals(etag, mjs.header("ETag"));
            assertEquals(304, b.get("/halley.mjs", "If-None-Match", mjs.header("ETag")).status());

            HttpBrowser.Resp dts = b.get("/halley.d.ts");
            assertEquals(200, dts.status());
            assertEquals(resource("halley.d.ts"), dts.body());
        });
    }

    /** Runs halley.js in Node (when installed) to pin the client's rule for resync frames. */
    @Test
    void clientAppliesAResyncFrameEvenAtOrBelowLastSeq() throws Exception {
        Process probe;
        try {
            probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            probe = null;
        }
        assumeTrue(probe != null && probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0, "node is not installed");
        Path script = Files.createTempFile("halley-resync", ".js");
        Path lib = Files.createTempFile("halley", ".js");
        Files.writeString(lib, resource("halley.js"));
        Files.writeString(script, String.join("\n",
                "require(" + jsString(lib.toString()) + ");",
                "const events = [];",
                "const conn = { lastSeq: 5, _back() {}, _emit(n, a) { events.push(n); } };",
                "const frame = globalThis.Halley.Connection.prototype._frame;",
                "frame.call(conn, {seq: 4, cmds: []});",                       // overlap: ignored
                "if (conn.lastSeq !== 5 || events.length) throw new Error('old frame applied');",
                "frame.call(conn, {seq: 3, cmds: [{op: 'resync', lost: 3}]});", // resync below lastSeq
                "if (conn.lastSeq !== 3) throw new Error('resync did not rewind lastSeq: ' + conn.lastSeq);",
                "if (events.join() !== 'resync,frame') throw new Error('events ' + events.join());",
                "frame.call(conn, JSON.stringify({seq: 4, cmds: []}));",       // the next frame applies
                "if (conn.lastSeq !== 4) throw new Error('frame after resync ignored');",
                "console.log('ok');"));
        Process p = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "node finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("ok", out.trim());
        assertFalse(out.contains("Error"));
        Files.deleteIfExists(script);
        Files.deleteIfExists(lib);
    }

    private static String jsString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
