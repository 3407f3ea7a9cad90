package io.halley.redis;

import io.lettuce.core.RedisURI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@link RedisSettings#URI}: which kind of Redis it names, a cluster URI's seed nodes,
 * its user, its form without credentials, and the check the builder applies. Stateless.
 */
final class RedisUris {
    private RedisUris() {
    }

    /** Whether {@code uri} names a Redis Cluster ({@code redis-cluster://} or {@code rediss-cluster://}). */
    static boolean isCluster(String uri) {
        return uri.startsWith("redis-cluster://") || uri.startsWith("rediss-cluster://");
    }

    /** The {@code redis://} (or {@code rediss://}) URI of every seed node of a cluster URI. */
    static List<String> clusterNodes(String uri) {
        boolean tls = uri.startsWith("rediss-");
        String rest = uri.substring(uri.indexOf("://") + 3);
        int slash = rest.indexOf('/');
        if (slash >= 0) rest = rest.substring(0, slash); // a cluster has database 0 only
        int at = rest.lastIndexOf('@');
        String info = at < 0 ? "" : rest.substring(0, at + 1);
        List<String> out = new ArrayList<>();
        for (String hostPort : rest.substring(at + 1).split(",")) {
            if (hostPort.isBlank()) throw new IllegalArgumentException("empty node in cluster URI");
            out.add((tls ? "rediss://" : "redis://") + info + hostPort.trim());
        }
        return out;
    }

    /** The user name in the URI's user information, or null. */
    static String user(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) return null;
        String info = uri.substring(scheme + 3, at);
        int colon = info.indexOf(':');
        String user = colon < 0 ? "" : info.substring(0, colon);
        return user.isEmpty() ? null : URLDecoder.decode(user, StandardCharsets.UTF_8);
    }

    /** The URI with any user information replaced by {@code ***}, for logs and messages. */
    static String redacted(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) return uri;
        return uri.substring(0, scheme + 3) + "***" + uri.substring(at);
    }

    /**
     * Returns {@code uri} if it is one Halley can use.
     *
     * @throws IllegalArgumentException naming the URI without its credentials
     */
    static String check(String uri) {
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://") && !uri.startsWith("redis-sentinel://")
                && !uri.startsWith("rediss-sentinel://") && !isCluster(uri)) {
            throw new IllegalArgumentException("uri must start with redis://, rediss://, redis-sentinel://, "
                    + "rediss-sentinel://, redis-cluster:// or rediss-cluster://: " + redactAll(uri));
        }
        try {
            if (isCluster(uri)) {
                for (String node : clusterNodes(uri)) RedisURI.create(node);
            } else {
                RedisURI.create(uri);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("uri is not a valid Redis URI: " + redactAll(uri) + " (" + e.getMessage() + ")");
        }
        return uri;
    }

    /** Everything up to the last {@code @} replaced by {@code ***} (for a URI that may not parse). */
    private static String redactAll(String uri) {
        int at = uri.lastIndexOf('@');
        return at < 0 ? uri : "***" + uri.substring(at);
    }
}
