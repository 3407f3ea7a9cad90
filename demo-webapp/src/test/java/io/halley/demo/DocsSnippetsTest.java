package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code ```java} block of {@code README.md} and {@code docs/*.md} (at the reactor root) compiles
 * against this module's test class path ({@code java.class.path}: core, servlet, redis, the servlet API,
 * Jetty, Gson …). Blocks in other languages (xml, js, html, sh) are not compiled.
 *
 * <p>The convention a block follows, chosen by its first line:
 * <ul>
 *   <li>A block whose first code line (after comments and blank lines) starts with {@code package} or
 *       {@code import} is a <b>compilation unit</b> and is compiled as it is, as a file named after its
 *       first {@code public} type.</li>
 *   <li>Any other block is <b>statements</b>: it becomes the body of
 *       {@code static void snippet(...) throws Exception} in a class of its own, so it may declare local
 *       variables, lambdas and local classes (not {@code public} ones). A first line
 *       {@code // given: Type name, Type name} declares what the block uses without creating it (the
 *       names become the method's parameters), e.g. {@code // given: HttpServletRequest request}.</li>
 * </ul>
 * Both get the {@link #IMPLICIT_IMPORTS implicit imports} in front (after a {@code package} line), so a
 * block shows only the imports a reader would not guess. {@code docs/index.md} says the same for readers.
 *
 * <p>A failure names the file, the line of the block's opening fence, the line in the file the compiler
 * points at, and the compiler's message.
 */
class DocsSnippetsTest {

    /** Added in front of every block; keep in step with the list in {@code docs/index.md}. */
    static final List<String> IMPLICIT_IMPORTS = List.of(
            "java.time.*",
            "java.util.*",
            "java.util.concurrent.*",
            "com.google.gson.*",
            "jakarta.servlet.*",
            "jakarta.servlet.annotation.*",
            "jakarta.servlet.http.*",
            "io.halley.core.*",
            "io.halley.core.comet.*",
            "io.halley.core.command.*",
            "io.halley.core.user.*",
            "io.halley.servlet.*",
            "io.halley.redis.*");

    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z0-9_+-]*).*$");
    private static final Pattern GIVEN = Pattern.compile("^\\s*//\\s*given:\\s*(.+)$");
    private static final Pattern PUBLIC_TYPE =
            Pattern.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)");

    private static JavaCompiler compiler;
    private static StandardJavaFileManager files;
    private static Path out;

    /** One ```java block: where it is and what it says. */
    record Block(Path file, String name, int fenceLine, List<String> lines) {
        int firstCodeLine() { return fenceLine + 1; }
    }

    @BeforeAll
    static void compiler() throws IOException {
        compiler = ToolProvider.getSystemJavaCompiler();
        assertTrue(compiler != null, "no system Java compiler: run the tests on a JDK, not a JRE");
        files = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        out = Files.createTempDirectory("halley-docs-snippets");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (files != null) files.close();
        if (out != null) {
            try (Stream<Path> walk = Files.walk(out)) {
                for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void theDocsHaveJavaBlocksToCheck() throws IOException {
        List<Block> blocks = blocks();
        assertTrue(blocks.size() >= 10, "expected the docs to hold at least 10 ```java blocks, found " + blocks.size());
        assertTrue(blocks.stream().anyMatch(b -> b.name().equals("README.md")), "README.md has no ```java block");
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockInTheDocsCompiles() throws IOException {
        return blocks().stream().map(b -> DynamicTest.dynamicTest(
                b.name() + ":" + b.fenceLine(), () -> compile(b)));
    }

    /** The reactor root: the first folder up from the module that holds README.md, docs/ and a pom listing demo-webapp. */
    static Path root() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path pom = d.resolve("pom.xml");
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("docs"))
                    && Files.isRegularFile(pom) && Files.readString(pom).contains("<module>demo-webapp</module>")) {
                return d;
            }
        }
        throw new IllegalStateException("no reactor root (README.md, docs/, pom.xml with demo-webapp) above " + dir);
    }

    static List<Block> blocks() throws IOException {
        Path root = root();
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            docs.addAll(s.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        List<Block> blocks = new ArrayList<>();
        for (Path doc : docs) blocks.addAll(blocksOf(doc, root.relativize(doc).toString().replace(File.separatorChar, '/')));
        return blocks;
    }

    /** The ```java blocks of one Markdown file; an unclosed fence is a failure of its own. */
    static List<Block> blocksOf(Path doc, String name) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) continue;
            int start = i;
            List<String> body = new ArrayList<>();
            i++;
            while (i < lines.size() && !lines.get(i).trim().startsWith("```")) body.add(lines.get(i++));
            if (i == lines.size()) fail(name + ":" + (start + 1) + ": code block is never closed");
            if (open.group(1).equalsIgnoreCase("java")) blocks.add(new Block(doc, name, start + 1, dedent(body)));
        }
        return blocks;
    }

    /** Blocks inside list items are indented; the indentation of the first line goes for all. */
    private static List<String> dedent(List<String> body) {
        int indent = Integer.MAX_VALUE;
        for (String l : body) {
            if (l.isBlank()) continue;
            int n = 0;
            while (n < l.length() && l.charAt(n) == ' ') n++;
            indent = Math.min(indent, n);
        }
        if (indent == Integer.MAX_VALUE || indent == 0) return body;
        final int cut = indent;
        return body.stream().map(l -> l.length() >= cut ? l.substring(cut) : l.strip()).collect(Collectors.toList());
    }

    private static void compile(Block block) {
        Source source = wrap(block);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of(
                "-classpath", System.getProperty("java.class.path"),
                "-d", out.toString(),
                "-proc:none",
                "-Xlint:none",
                "-encoding", "UTF-8");
        boolean ok = compiler.getTask(null, files, diagnostics, options, null, List.of(source)).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            long line = d.getLineNumber() - source.offset;   // index into the block's lines
            String where = line >= 0 && line < block.lines().size()
                    ? "line " + (block.firstCodeLine() + line) + ": " + block.lines().get((int) line).strip()
                    : "in the code the test wraps around the block (line " + d.getLineNumber() + " of\n" + source.code + ")";
            errors.add(where + "\n    " + d.getMessage(Locale.ROOT));
        }
        if (!ok || !errors.isEmpty()) {
            fail(block.name() + ": the ```java block at line " + block.fenceLine() + " does not compile ("
                    + (source.unit ? "compilation unit" : "statements") + "):\n" + String.join("\n", errors));
        }
    }

    /** A block as the compiler sees it. */
    static final class Source extends SimpleJavaFileObject {
        final String code;
        /** The line number, in {@link #code}, of the block's first line. */
        final int offset;
        final boolean unit;

        Source(String className, String code, int offset, boolean unit) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
            this.offset = offset;
            this.unit = unit;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    static Source wrap(Block block) {
        List<String> lines = block.lines();
        String first = lines.stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("//") && !l.startsWith("/*") && !l.startsWith("*"))
                .findFirst().orElse("");
        String imports = IMPLICIT_IMPORTS.stream().map(i -> "import " + i + ";").collect(Collectors.joining(" ")) + "\n";
        String snippetClass = "DocSnippet_" + block.name().replaceAll("\\W", "_") + "_" + block.fenceLine();
        if (first.startsWith("package ") || first.startsWith("import ")) {
            // A compilation unit: the implicit imports go on the package line (or before everything), so that
            // the block's own line numbers are unchanged.
            List<String> code = new ArrayList<>(lines);
            int pkg = -1;
            for (int i = 0; i < code.size(); i++) if (code.get(i).strip().startsWith("package ")) { pkg = i; break; }
            String text;
            int offset;
            if (pkg >= 0) {
                code.set(pkg, code.get(pkg) + " " + imports.strip());
                text = String.join("\n", code) + "\n";
                offset = 1;   // the block's first line is line 1
            } else {
                text = imports + String.join("\n", code) + "\n";
                offset = 2;   // after the imports' line
            }
            Matcher m = PUBLIC_TYPE.matcher(String.join("\n", lines));
            String name = m.find() ? m.group(1) : snippetClass;
            if (pkg >= 0) {
                String p = code.get(pkg).strip().substring("package ".length());
                name = p.substring(0, p.indexOf(';')).strip() + "." + name;
            }
            return new Source(name, text, offset, true);
        }
        String params = "";
        Matcher given = lines.isEmpty() ? null : GIVEN.matcher(lines.get(0));
        if (given != null && given.matches()) params = given.group(1).strip();
        String header = imports
                + "@SuppressWarnings(\"all\") class " + snippetClass + " { static void snippet(" + params + ") throws Exception {\n";
        String text = header + String.join("\n", lines) + "\n}}\n";
        return new Source(snippetClass, text, 3, false);   // after the imports' and the class's lines
    }
}
