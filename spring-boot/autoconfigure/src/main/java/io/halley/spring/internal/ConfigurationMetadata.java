package io.halley.spring.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.halley.core.HalleyConfig;
import io.halley.core.settings.Setting;
import io.halley.core.settings.SettingGroup;
import io.halley.core.settings.ValueType;
import io.halley.redis.RedisSettings;
import io.halley.servlet.CometSettings;
import java.time.Duration;
import java.util.List;

/**
 * Renders {@code META-INF/spring-configuration-metadata.json}, the file IDEs read to complete
 * and explain {@code halley.*} properties, from the same setting declarations the properties are
 * bound from ({@link SettingProperties}). The file in the jar is kept equal to this rendering by
 * {@code ConfigurationMetadataTest} (which rewrites it with {@code -Dhalley.docs.write=true}).
 * Stateless.
 */
public final class ConfigurationMetadata {
    /** Where the servlet is mounted. */
    public static final String PATH = "halley.path";
    /** Its default. */
    public static final String DEFAULT_PATH = "/halley/*";

    private ConfigurationMetadata() {
    }

    /** The metadata, as JSON text ending with a newline. */
    public static String render() {
        JsonObject root = new JsonObject();
        JsonArray groups = new JsonArray();
        groups.add(group("halley", "Halley: the runtime (`Halley.Builder`) and the servlet (`CometSettings`)."));
        groups.add(group("halley.redis", "Halley on Redis (`RedisSettings`), with halley-redis on the class path."));
        root.add("groups", groups);
        JsonArray props = new JsonArray();
        JsonObject path = new JsonObject();
        path.addProperty("name", PATH);
        path.addProperty("type", "java.lang.String");
        path.addProperty("description", "The servlet mapping of CometServlet; it must end with /*.");
        path.addProperty("defaultValue", DEFAULT_PATH);
        props.add(path);
        add(props, "halley", HalleyConfig.SETTINGS);
        add(props, "halley", CometSettings.SETTINGS);
        add(props, "halley.redis", RedisSettings.SETTINGS);
        root.add("properties", props);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    private static JsonObject group(String name, String description) {
        JsonObject g = new JsonObject();
        g.addProperty("name", name);
        g.addProperty("description", description);
        return g;
    }

    private static <B> void add(JsonArray props, String prefix, SettingGroup<B> group) {
        for (Setting<B, ?> s : SettingProperties.properties(group)) {
            JsonObject p = new JsonObject();
            p.addProperty("name", SettingProperties.key(prefix, s));
            p.addProperty("type", javaType(s));
            String rule = s.rule() == null ? "" : " Valid: " + plain(s.rule()) + ".";
            p.addProperty("description", capital(plain(s.meaning())) + "." + rule + " Default: " + plain(s.defaultText())
                    + ". (Halley setting " + s.name() + ", see docs/settings.md.)");
            Object d = s.defaultValue();
            if (d != null && !s.secret() && stable(s)) {
                if (d instanceof Duration dur) p.addProperty("defaultValue", dur.toString());
                else if (d instanceof Number n) p.addProperty("defaultValue", n);
                else if (d instanceof Boolean bool) p.addProperty("defaultValue", bool);
                else if (d instanceof List<?> l) {
                    JsonArray a = new JsonArray();
                    l.forEach(x -> a.add(String.valueOf(x)));
                    p.add("defaultValue", a);
                } else p.addProperty("defaultValue", d instanceof Enum<?> e ? e.name() : String.valueOf(d));
            }
            props.add(p);
        }
    }

    /** A default that is the same on every machine (not "the number of cores", not a random id). */
    private static boolean stable(Setting<?, ?> s) {
        Object a = s.defaultValue();
        Object b = s.defaultValue();
        return a.equals(b) && !s.defaultText().contains("number of") && !s.defaultText().contains("random");
    }

    private static String javaType(Setting<?, ?> s) {
        ValueType<?> t = s.type();
        if (t.javaName().startsWith("List")) return "java.util.List<java.lang.String>";
        if (t == ValueType.DURATION) return "java.time.Duration";
        if (t == ValueType.INT || t == ValueType.INT_BYTES) return "java.lang.Integer";
        if (t == ValueType.LONG_BYTES) return "java.lang.Long";
        if (t == ValueType.BOOLEAN) return "java.lang.Boolean";
        Object d = s.defaultValue();
        if (d instanceof Enum<?> e) return e.getDeclaringClass().getName();
        return "java.lang.String";
    }

    private static String plain(String markdown) {
        return markdown.replace("`", "");
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
