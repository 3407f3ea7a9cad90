package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Maven project outside the reactor depends on {@code halley-bom} and
 * {@code halley-spring-boot-starter} by their coordinates, builds and runs. The reactor's freshly
 * packaged jars and poms are installed ({@code install:install-file}) into a local repository in
 * this test's temporary folder, never into {@code ~/.m2}; everything else (Spring Boot, plugins)
 * is read from {@code ~/.m2/repository} as a file mirror, so the build needs no network and
 * writes nothing outside the temporary folder. Runs in the integration-test phase, after the
 * reactor packaged the jars; takes about a minute (bounded: 4 min for the build, 1 min for the run).
 */
class ConsumerProjectIT {
    private static final String VERSION = System.getProperty("halley.version", "0.1.0-SNAPSHOT");

    /** Halley artifacts the consumer needs: module folder, artifact, packaging. */
    private static final String[][] ARTIFACTS = {
            {".", "halley-parent", "pom"}, {"bom", "halley-bom", "pom"}, {"core", "halley-core", "jar"},
            {"servlet", "halley-servlet", "jar"}, {"redis", "halley-redis", "jar"}, {"micrometer", "halley-micrometer", "jar"},
            {"spring-boot/autoconfigure", "halley-spring-boot-autoconfigure", "jar"},
            {"spring-boot/starter", "halley-spring-boot-starter", "jar"}};

    @TempDir
    Path tmp;

    @Test
    void aProjectDependingOnTheBomAndTheStarterByCoordinatesBuildsAndRuns() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        Path repo = tmp.resolve("repo");
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, """
                <settings><mirrors><mirror><id>m2-as-mirror</id><mirrorOf>*</mirrorOf>
                <url>%s</url></mirror></mirrors></settings>
                """.formatted(Path.of(System.getProperty("user.home"), ".m2", "repository").toUri()));
        List<String> install = new ArrayList<>(List.of("mvn", "-B", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo));
        for (String[] a : ARTIFACTS) {
            Path module = root.resolve(a[0]);
            Path pom = module.resolve("pom.xml");
            Path file = a[2].equals("pom") ? pom : module.resolve("target/" + a[1] + "-" + VERSION + ".jar");
            assertTrue(Files.isRegularFile(file), file + " missing: the reactor must have packaged it first");
            List<String> cmd = new ArrayList<>(install);
            cmd.addAll(List.of("org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file", "-Dfile=" + file,
                    "-DpomFile=" + pom, "-Dpackaging=" + a[2]));
            run(cmd, tmp, 120);
        }
        Path project = tmp.resolve("consumer");
        copy(Path.of(System.getProperty("user.dir")).resolve("../tests/src/test/resources/consumer"), project);
        Path projectPom = project.resolve("pom.xml");
        Files.writeString(projectPom, Files.readString(projectPom).replace("@halley.version@", VERSION)
                .replace("@boot.version@", System.getProperty("halley.test.boot.version", "3.5.7")));
        List<String> build = new ArrayList<>(install);
        build.addAll(List.of("package", "-DskipTests"));
        run(build, project, 240);
        String out = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                project.resolve("target/consumer.jar").toString()), project, 60);
        assertTrue(out.contains("CONSUMER OK"), out);
        assertTrue(Files.isDirectory(repo.resolve("io/halley/halley-spring-boot-starter/" + VERSION)), "installed in the temporary repository");
    }

    /** Runs {@code cmd} in {@code dir}, at most {@code seconds}; asserts exit 0; returns its output. */
    private static String run(List<String> cmd, Path dir, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, "timed out after " + seconds + " s: " + cmd + "\n" + out);
        assertEquals(0, p.exitValue(), cmd + "\n" + out);
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
