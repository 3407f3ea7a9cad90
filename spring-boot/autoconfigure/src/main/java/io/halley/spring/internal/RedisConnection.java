package io.halley.spring.internal;

import io.halley.redis.RedisSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.env.Environment;

/**
 * The {@link RedisSettings} of the context: the {@code halley.redis.*} properties, and when
 * {@code halley.redis.uri} is not set, the server of Spring Data Redis's own properties, chosen as
 * Spring Boot chooses: a Sentinel set ({@code spring.data.redis.sentinel.master} and
 * {@code .nodes}, its {@code .password}) becomes {@code redis-sentinel://…#master}; else a
 * cluster ({@code spring.data.redis.cluster.nodes}) becomes {@code redis-cluster://…}; else
 * {@code spring.data.redis.url}, or {@code host} and {@code port}. {@code database},
 * {@code username}, {@code password} and {@code ssl.enabled} apply to each ({@code database} not
 * to a cluster). {@code cluster.max-redirects} is not used: Lettuce's bound (5) applies, and the
 * client refreshes its view of the cluster after each redirection. Stateless.
 */
public final class RedisConnection {
    /** The property that names the server. */
    public static final String URI = SettingProperties.key("halley.redis", RedisSettings.URI);

    private static final String SPRING = SpringDataRedis.PREFIX;

    private RedisConnection() {
    }

    /** Whether the context names a Redis server, in either set of properties. */
    public static boolean configured(Environment env) {
        return SpringDataRedis.named(env);
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming a property with a bad or missing value
     */
    public static RedisSettings settings(Environment env) {
        RedisSettings.Builder b = RedisSettings.builder();
        if (!env.containsProperty(URI)) {
            String url = springUri(env);
            b.uri(url);
            String password = env.getProperty(SPRING + "password");
            if (password != null && !password.isEmpty() && !url.contains("@")) b.password(password);
            String sentinelPassword = env.getProperty(SPRING + "sentinel.password");
            if (sentinelPassword != null && !sentinelPassword.isEmpty()) b.sentinelPassword(sentinelPassword);
        }
        SettingProperties.apply(env, "halley.redis", RedisSettings.SETTINGS, b);
        return b.build();
    }

    private static String springUri(Environment env) {
        boolean ssl = env.getProperty(SPRING + "ssl.enabled", Boolean.class, false);
        String master = env.getProperty(SPRING + "sentinel.master");
        List<String> sentinels = SpringDataRedis.nodes(env, "sentinel.nodes");
        if (master != null || !sentinels.isEmpty()) {
            if (master == null || master.isBlank()) {
                throw new IllegalArgumentException("property " + SPRING + "sentinel.master: missing (" + SPRING
                        + "sentinel.nodes is set)");
            }
            if (sentinels.isEmpty()) {
                throw new IllegalArgumentException("property " + SPRING + "sentinel.nodes: missing (" + SPRING
                        + "sentinel.master is set)");
            }
            return (ssl ? "rediss-sentinel://" : "redis-sentinel://") + userInfo(env) + String.join(",", sentinels)
                    + "/" + database(env) + "#" + master.trim();
        }
        List<String> cluster = SpringDataRedis.nodes(env, "cluster.nodes");
        if (!cluster.isEmpty()) return (ssl ? "rediss-cluster://" : "redis-cluster://") + userInfo(env) + String.join(",", cluster);
        String url = env.getProperty(SPRING + "url");
        if (url != null && !url.isBlank()) return url;
        String host = env.getProperty(SPRING + "host", "localhost");
        int port = env.getProperty(SPRING + "port", Integer.class, 6379);
        return (ssl ? "rediss://" : "redis://") + userInfo(env) + host + ":" + port + "/" + database(env);
    }

    private static int database(Environment env) {
        return env.getProperty(SPRING + "database", Integer.class, 0);
    }

    /** {@code user:password@} when a user is set (the password alone goes to {@link RedisSettings#PASSWORD}). */
    private static String userInfo(Environment env) {
        String user = env.getProperty(SPRING + "username");
        String password = env.getProperty(SPRING + "password");
        if (user == null || user.isEmpty()) return "";
        return enc(user) + (password != null && !password.isEmpty() ? ":" + enc(password) : "") + "@";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
