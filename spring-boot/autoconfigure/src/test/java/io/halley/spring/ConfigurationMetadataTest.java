package io.halley.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.HalleyConfig;
import io.halley.redis.RedisSettings;
import io.halley.servlet.CometSettings;
import io.halley.spring.internal.ConfigurationMetadata;
import io.halley.spring.internal.SettingProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The IDE metadata in the jar is the rendering of the setting declarations: a setting added,
 * renamed or re-described shows here until the file is regenerated with
 * {@code mvn -B -ntp -q -pl spring-boot/autoconfigure -am test -Dtest=ConfigurationMetadataTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dhalley.docs.write=true}.
 */
class ConfigurationMetadataTest {
    private static final Path FILE = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");

    @Test
    void theMetadataFileIsTheRenderingOfTheSettingDeclarations() throws Exception {
        String rendered = ConfigurationMetadata.render();
        if (Boolean.getBoolean("halley.docs.write")) Files.writeString(FILE, rendered, StandardCharsets.UTF_8);
        assertEquals(rendered, Files.readString(FILE, StandardCharsets.UTF_8),
                "regenerate " + FILE + " with -Dhalley.docs.write=true (see this test's javadoc)");
    }

    @Test
    void everySettingSettableFromTextIsAPropertyOnce() {
        Set<String> names = new HashSet<>();
        for (JsonElement e : JsonParser.parseString(ConfigurationMetadata.render()).getAsJsonObject().getAsJsonArray("properties")) {
            JsonObject p = e.getAsJsonObject();
            assertTrue(names.add(p.get("name").getAsString()), "twice: " + p);
            assertTrue(p.get("description").getAsString().length() > 10, p.toString());
        }
        int expected = 1 + SettingProperties.properties(HalleyConfig.SETTINGS).size()
                + SettingProperties.properties(CometSettings.SETTINGS).size()
                + SettingProperties.properties(RedisSettings.SETTINGS).size();
        assertEquals(expected, names.size());
        assertTrue(names.containsAll(Set.of("halley.path", "halley.page-lease", "halley.heartbeat", "halley.allowed-origins",
                "halley.csp-nonce-attribute", "halley.redis.uri", "halley.redis.key-prefix", "halley.redis.reconnect-max-delay")), names.toString());
    }
}
