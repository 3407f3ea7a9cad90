package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm package folder the build makes ({@code target/npm/halley-client}): node imports it by
 * its package name as an ES module, gets the same object as default and named export, and its
 * public API (the functions of {@code Halley}, the methods of a connection) is exactly what
 * {@code halley.d.ts} declares. Needs node ({@code /usr/bin/node} or on PATH): skipped loudly
 * without it, a failure under {@code CI=true}.
 */
class NpmPackageTest {
    private static final Path PACKAGE = Path.of("target/npm/halley-client");

    @TempDir
    Path tmp;

    @Test
    void nodeImportsThePackageAndItsApiIsTheOneTheTypesDeclare() throws Exception {
        String node = node();
        assertTrue(Files.isRegularFile(PACKAGE.resolve("package.json")), "the build makes " + PACKAGE + " (process-classes)");
        JsonObject pkg = JsonParser.parseString(Files.readString(PACKAGE.resolve("package.json"))).getAsJsonObject();
        assertEquals("module", pkg.get("type").getAsString());
        assertTrue(!pkg.get("version").getAsString().contains("@"), "the version is filled in: " + pkg);
        for (String f : new String[] {"halley.mjs", "halley.js", "halley.d.ts", "halley.d.mts"}) {
            assertTrue(Files.isRegularFile(PACKAGE.resolve(f)), f);
        }
        String js = resource("halley.js");
        assertEquals(js + resource("halley-module-tail.js"), Files.readString(PACKAGE.resolve("halley.mjs")),
                "halley.mjs is what the servlet serves at /halley/halley.mjs");

        Path modules = Files.createDirectories(tmp.resolve("node_modules"));
        Files.createSymbolicLink(modules.resolve("halley-client"), PACKAGE.toAbsolutePath());
        Files.writeString(tmp.resolve("check.mjs"), """
                import Halley, { Halley as Named } from 'halley-client';
                if (Halley !== Named) throw new Error('default and named exports differ');
                const fns = Object.keys(Halley).filter(k => typeof Halley[k] === 'function' && k !== 'Connection').sort();
                const methods = Object.getOwnPropertyNames(Halley.Connection.prototype)
                    .filter(n => n !== 'constructor' && !n.startsWith('_')).sort();
                console.log('FUNCTIONS ' + fns.join(','));
                console.log('METHODS ' + methods.join(','));
                """);
        Process p = new ProcessBuilder(node, "check.mjs").directory(tmp.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);

        String dts = Files.readString(PACKAGE.resolve("halley.d.ts"));
        assertEquals(declared(dts, "^  function (\\w+)\\("), line(out, "FUNCTIONS"), "functions of Halley in halley.d.ts");
        String connection = dts.substring(dts.indexOf("interface HalleyConnection {"));
        connection = connection.substring(0, connection.indexOf("\n  }\n"));
        assertEquals(declared(connection, "^    (\\w+)(?:<[^>]*>)?\\("), line(out, "METHODS"),
                "methods of a connection in halley.d.ts (interface HalleyConnection)");
    }

    private static Set<String> declared(String text, String regex) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    private static Set<String> line(String out, String prefix) {
        for (String l : out.split("\n")) {
            if (l.startsWith(prefix + " ")) return new TreeSet<>(Arrays.asList(l.substring(prefix.length() + 1).trim().split(",")));
        }
        throw new AssertionError("no " + prefix + " line in " + out);
    }

    private static String resource(String name) throws Exception {
        return Files.readString(Path.of("src/main/resources/io/halley/servlet", name));
    }

    private static String node() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
            Path n = Path.of(dir.isEmpty() ? "." : dir, "node");
            if (Files.isExecutable(n)) return n.toString();
        }
        String message = "node is not installed (looked on PATH, /usr/bin, /usr/local/bin): the npm package test cannot run";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message + ": missing on CI (CI=true)");
        System.err.println("!!!!!!!! SKIPPED: " + message + " !!!!!!!!");
        Assumptions.abort(message);
        return null;
    }
}
