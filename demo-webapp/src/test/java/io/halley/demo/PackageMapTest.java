package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layout the codebase promises a newcomer, checked on the sources of every module of
 * the reactor: each package has a {@code package-info.java}; no package holds more than 20 files;
 * in the library modules each public type of an API package is named in its package-info (so the
 * package-info is the list of what the package offers); and every {@code .internal} package says
 * it is not API.
 */
class PackageMapTest {
    private static final int MAX_FILES = 20;
    /** The modules whose packages are API for applications, transports or hubs. */
    private static final List<String> LIBRARIES = List.of("core", "servlet", "redis", "testing", "micrometer", "spring-boot/autoconfigure");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|static)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
            Pattern.MULTILINE);

    /** Package name → its folder, per module folder. */
    private static Map<String, Path> packages(Path root) throws IOException {
        Map<String, Path> found = new TreeMap<>();
        // the modules at the root and one level down (spring-boot/autoconfigure, samples/spring-boot)
        try (Stream<Path> modules = Files.find(root, 2, (d, attrs) -> attrs.isDirectory()
                && Files.isDirectory(d.resolve("src/main/java")) && !d.toString().contains("/target"))) {
            for (Path module : (Iterable<Path>) modules::iterator) {
                Path src = module.resolve("src/main/java");
                String name = root.relativize(module).toString();
                try (Stream<Path> files = Files.walk(src)) {
                    files.filter(f -> f.toString().endsWith(".java")).map(Path::getParent).distinct().forEach(dir ->
                            found.put(name + ":" + src.relativize(dir).toString().replace('/', '.'), dir));
                }
            }
        }
        return found;
    }

    @Test
    void everyPackageSaysWhatItHoldsAndStaysSmall() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Path> packages = packages(DocsSnippetsTest.root());
        assertTrue(packages.size() >= 20, "found only " + packages.keySet());
        for (Map.Entry<String, Path> e : packages.entrySet()) {
            String module = e.getKey().substring(0, e.getKey().indexOf(':'));
            String pkg = e.getKey().substring(module.length() + 1);
            Path info = e.getValue().resolve("package-info.java");
            List<Path> sources;
            try (Stream<Path> s = Files.list(e.getValue())) {
                sources = s.filter(f -> f.toString().endsWith(".java") && !f.equals(info)).toList();
            }
            if (sources.size() > MAX_FILES) problems.add(pkg + " holds " + sources.size() + " files (at most " + MAX_FILES + ")");
            if (!Files.isRegularFile(info)) {
                problems.add(pkg + " (" + module + ") has no package-info.java");
                continue;
            }
            String doc = Files.readString(info);
            if (pkg.contains(".internal")) {
                if (!doc.contains("Not API") && !doc.contains("Nobody's API")) {
                    problems.add(pkg + "'s package-info does not say it is not API");
                }
                continue;
            }
            if (!LIBRARIES.contains(module)) continue;
            for (Path source : sources) {
                Matcher m = PUBLIC_TYPE.matcher(Files.readString(source));
                if (m.find() && !Pattern.compile("\\b" + m.group(1) + "\\b").matcher(doc).find()) {
                    problems.add(pkg + "." + m.group(1) + " is public but its package-info does not name it");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
