package io.halley.redis.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.halley.core.Halley;
import io.halley.core.HalleyConfig;
import io.halley.core.settings.Setting;
import io.halley.core.settings.SettingGroup;
import io.halley.core.settings.SettingsTable;
import io.halley.redis.RedisSettings;
import io.halley.servlet.CometSettings;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/settings.md} is the table rendered from the setting declarations of
 * {@link HalleyConfig}, {@link CometSettings} and {@link RedisSettings}, and every builder method
 * of those classes is a declared setting. Lives in the redis module because its test classpath
 * holds core, servlet and redis.
 */
class SettingsDocTest {
    /** The one command that rewrites docs/settings.md from the declarations (run from the repository root). */
    static final String REGENERATE = "mvn -B -ntp -q -pl redis -am test -Dtest=SettingsDocTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dhalley.docs.write=true";

    private static final List<SettingGroup<?>> GROUPS = List.of(HalleyConfig.SETTINGS, CometSettings.SETTINGS,
            RedisSettings.SETTINGS);

    @Test
    void docsSettingsPageIsTheTableRenderedFromTheDeclarations() throws IOException {
        String rendered = SettingsTable.markdown(REGENERATE, GROUPS);
        Path file = repositoryRoot().resolve("docs").resolve("settings.md");
        if (Boolean.getBoolean("halley.docs.write")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, rendered, StandardCharsets.UTF_8);
            return;
        }
        String onDisk = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!onDisk.equals(rendered)) {
            fail("docs/settings.md disagrees with the setting declarations in the code ("
                    + firstDifference(onDisk, rendered) + "). Regenerate it with: " + REGENERATE);
        }
    }

    @Test
    void everyBuilderMethodSetsADeclaredSetting() {
        assertBuilderMethodsDeclared(Halley.Builder.class, HalleyConfig.SETTINGS);
        assertBuilderMethodsDeclared(CometSettings.Builder.class, CometSettings.SETTINGS);
        assertBuilderMethodsDeclared(RedisSettings.Builder.class, RedisSettings.SETTINGS);
    }

    @Test
    void everyHalleyAndServletSettingThatTextCanWriteIsAnInitParam() {
        for (SettingGroup<?> g : List.of(HalleyConfig.SETTINGS, CometSettings.SETTINGS)) {
            for (Setting<?, ?> s : g.settings()) {
                boolean codeOnly = !s.type().parsable();
                assertTrue(codeOnly || s.initParam() != null, s + " can be written as text but has no init-param");
            }
        }
        assertTrue(HalleyConfig.SETTINGS.initParams().containsAll(Set.of("fanOutThreads", "consumeActions")));
        assertEquals("cspNonceAttribute", CometSettings.CSP_NONCE.initParam());
    }

    private static void assertBuilderMethodsDeclared(Class<?> builder, SettingGroup<?> group) {
        Set<String> undeclared = new TreeSet<>();
        for (Method m : builder.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())) continue;
            if (m.getName().equals("build")) continue;
            boolean declared = group.settings().stream().anyMatch(s -> s.name().equals(m.getName())
                    || s.builderMethod().contains("`" + m.getName() + "("));
            if (!declared) undeclared.add(m.getName());
        }
        assertEquals(Set.of(), undeclared, builder.getName() + " methods without a setting declaration in " + group);
    }

    private static String firstDifference(String onDisk, String rendered) {
        String[] a = onDisk.split("\n", -1);
        String[] b = rendered.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end of file>";
            String y = i < b.length ? b[i] : "<end of file>";
            if (!x.equals(y)) return "first difference at line " + (i + 1) + ": file has \"" + x + "\", code renders \"" + y + "\"";
        }
        return "they differ";
    }

    /** The reactor root: the nearest directory above the module holding pom.xml, core/ and redis/. */
    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path d = p; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("core"))
                    && Files.isDirectory(d.resolve("redis"))) return d;
        }
        throw new IllegalStateException("no Halley repository root above " + p);
    }
}
