package io.halley.spring.internal;

import io.halley.redis.RedisSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.core.env.Environment;

/**
 * The {@link RedisSettings} of the context: the {@code halley.redis.*} properties, and when
 * {@code halley.redis.uri} is not set, the server of Spring Data Redis's own
 * {@code spring.data.redis.url}, or {@code host}, {@code port}, {@code database},
 * {@code username}, {@code password} and {@code ssl.enabled}. Stateless.
 */
public final class RedisConnection {
    /** The property that names the server. */
    public static final String URI = SettingProperties.key("halley.redis", RedisSettings.URI);

    private RedisConnection() {
    }

    /** Whether the context names a Redis server, in either set of properties. */
    public static boolean configured(Environment env) {
        return env.containsProperty(URI) || env.containsProperty("spring.data.redis.url")
                || env.containsProperty("spring.data.redis.host");
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming a property with a bad value
     */
    public static RedisSettings settings(Environment env) {
        RedisSettings.Builder b = RedisSettings.builder();
        if (!env.containsProperty(URI)) {
            String url = env.getProperty("spring.data.redis.url");
            if (url == null || url.isBlank()) url = fromParts(env);
            b.uri(url);
            String password = env.getProperty("spring.data.redis.password");
            if (password != null && !password.isEmpty() && !url.contains("@")) b.password(password);
        }
        SettingProperties.apply(env, "halley.redis", RedisSettings.SETTINGS, b);
        return b.build();
    }

    private static String fromParts(Environment env) {
        boolean ssl = env.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false);
        String host = env.getProperty("spring.data.redis.host", "localhost");
        int port = env.getProperty("spring.data.redis.port", Integer.class, 6379);
        int db = env.getProperty("spring.data.redis.database", Integer.class, 0);
        String user = env.getProperty("spring.data.redis.username");
        String password = env.getProperty("spring.data.redis.password");
        String info = "";
        if (user != null && !user.isEmpty()) {
            info = enc(user) + (password != null && !password.isEmpty() ? ":" + enc(password) : "") + "@";
        }
        return (ssl ? "rediss://" : "redis://") + info + host + ":" + port + "/" + db;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
