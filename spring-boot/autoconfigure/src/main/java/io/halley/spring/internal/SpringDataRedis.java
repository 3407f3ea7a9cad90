package io.halley.spring.internal;

import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Reads Spring Data Redis's connection properties ({@code spring.data.redis.*}) without touching
 * {@code halley-redis}, so that the auto-configuration's condition can ask whether a server is
 * named even when that jar is absent. Stateless.
 */
public final class SpringDataRedis {
    /** The prefix of Spring Data Redis's properties. */
    public static final String PREFIX = "spring.data.redis.";

    private SpringDataRedis() {
    }

    /** Whether {@code halley.redis.uri} or Spring Data Redis's url, host, Sentinel or cluster nodes are set. */
    public static boolean named(Environment env) {
        return env.containsProperty("halley.redis.uri") || env.containsProperty(PREFIX + "url")
                || env.containsProperty(PREFIX + "host") || env.containsProperty(PREFIX + "sentinel.master")
                || !nodes(env, "sentinel.nodes").isEmpty() || !nodes(env, "cluster.nodes").isEmpty();
    }

    /**
     * A list of {@code host:port} under {@code spring.data.redis.<name>}, comma-separated or indexed
     * (YAML), trimmed; empty when unset.
     *
     * @throws IllegalArgumentException naming the property and a value that is not {@code host:port}
     */
    public static List<String> nodes(Environment env, String name) {
        List<String> nodes = Binder.get(env).bind(PREFIX + name, Bindable.listOf(String.class)).orElse(List.of());
        List<String> out = nodes.stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
        for (String n : out) {
            if (n.lastIndexOf(':') <= 0 || n.contains("/") || n.contains("@") || n.contains(",")) {
                throw new IllegalArgumentException("property " + PREFIX + name + ": bad value '" + n + "' (host:port expected)");
            }
        }
        return out;
    }
}
