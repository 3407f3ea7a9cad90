package io.halley.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Redis parts of Halley ({@link RedisHub}, {@link RedisChannelHistory}, {@link RedisQueue})
 * reach Redis and lay out their data. Immutable and thread-safe; built with {@link #builder()}
 * (every setting has the default documented on its builder method) or changed with
 * {@link #toBuilder()}. Every node of one system must use the same URI and key prefix; the other
 * settings may differ per node.
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class RedisSettings {
    private final String uri;
    private final String password;
    private final String keyPrefix;
    private final int historySize;
    private final Duration visibilityTimeout;
    private final int maxDeliveries;
    private final Duration commandTimeout;
    private final Duration reconnectMinDelay;
    private final Duration reconnectMaxDelay;

    private RedisSettings(Builder b) {
        this.uri = b.uri;
        this.password = b.password;
        this.keyPrefix = b.keyPrefix;
        this.historySize = b.historySize;
        this.visibilityTimeout = b.visibilityTimeout;
        this.maxDeliveries = b.maxDeliveries;
        this.commandTimeout = b.commandTimeout;
        this.reconnectMinDelay = b.reconnectMinDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings with the defaults and {@code uri}. */
    public static RedisSettings of(String uri) {
        return builder().uri(uri).build();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.uri = uri;
        b.password = password;
        b.keyPrefix = keyPrefix;
        b.historySize = historySize;
        b.visibilityTimeout = visibilityTimeout;
        b.maxDeliveries = maxDeliveries;
        b.commandTimeout = commandTimeout;
        b.reconnectMinDelay = reconnectMinDelay;
        b.reconnectMaxDelay = reconnectMaxDelay;
        return b;
    }

    /** The Redis URI as given, possibly with a password in it (do not log it: see {@link #toString()}). */
    public String uri() {
        return uri;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public int historySize() {
        return historySize;
    }

    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    public int maxDeliveries() {
        return maxDeliveries;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration reconnectMinDelay() {
        return reconnectMinDelay;
    }

    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** The Lettuce form of the URI with the password and timeout applied. */
    RedisURI redisUri(String clientName) {
        RedisURI u = RedisURI.create(uri);
        if (password != null) {
            String user = uriUser();
            if (user != null) u.setAuthentication(user, password.toCharArray());
            else u.setAuthentication(password.toCharArray());
        }
        u.setTimeout(commandTimeout);
        u.setClientName(clientName);
        return u;
    }

    /** The user name in the URI's user information, or null. */
    private String uriUser() {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) return null;
        String info = uri.substring(scheme + 3, at);
        int colon = info.indexOf(':');
        String user = colon < 0 ? "" : info.substring(0, colon);
        return user.isEmpty() ? null : java.net.URLDecoder.decode(user, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The URI with any user information replaced by {@code ***}, for logs and messages. */
    String redactedUri() {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) return uri;
        return uri.substring(0, scheme + 3) + "***" + uri.substring(at);
    }

    @Override
    public String toString() {
        return "RedisSettings[uri=" + redactedUri() + (password != null ? ", password=***" : "")
                + ", keyPrefix=" + keyPrefix + ", historySize=" + historySize
                + ", visibilityTimeout=" + visibilityTimeout + ", maxDeliveries=" + maxDeliveries
                + ", commandTimeout=" + commandTimeout + ", reconnect=" + reconnectMinDelay + ".." + reconnectMaxDelay + "]";
    }

    /**
     * Builds {@link RedisSettings}. Not thread-safe. Each setter checks its value at once and
     * fails with {@link IllegalArgumentException} (or {@link NullPointerException}) naming it.
     */
    public static final class Builder {
        private String uri = "redis://localhost:6379";
        private String password;
        private String keyPrefix = "halley:";
        private int historySize = 1000;
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private int maxDeliveries = 5;
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Duration reconnectMinDelay = Duration.ofMillis(100);
        private Duration reconnectMaxDelay = Duration.ofSeconds(10);

        private Builder() {
        }

        /**
         * The server: {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://…} for
         * TLS (verified against the JVM's trust store). Default {@code redis://localhost:6379}.
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
                throw new IllegalArgumentException("uri must start with redis:// or rediss://: " + redact(uri));
            }
            try {
                RedisURI.create(uri);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("uri is not a valid Redis URI: " + redact(uri) + " (" + e.getMessage() + ")");
            }
            this.uri = uri;
            return this;
        }

        /** The password (AUTH), overriding one in the URI; null for the URI's. Default none. */
        public Builder password(String password) {
            if (password != null && password.isEmpty()) throw new IllegalArgumentException("password must not be empty (use null for none)");
            this.password = password;
            return this;
        }

        /**
         * Prefix of every key and pub/sub channel, so that several systems can share one Redis.
         * Default {@code halley:}.
         */
        public Builder keyPrefix(String prefix) {
            Objects.requireNonNull(prefix, "keyPrefix");
            if (prefix.isEmpty() || prefix.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("keyPrefix must be non-empty without spaces or control characters: \"" + prefix + "\"");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /** Messages kept per channel for catch-up; 0 keeps none (ids only). Default 1,000. */
        public Builder historySize(int n) {
            if (n < 0) throw new IllegalArgumentException("historySize must be >= 0: " + n);
            this.historySize = n;
            return this;
        }

        /**
         * How long a queued action taken by a node that stopped renewing it (the node died or lost
         * Redis) stays invisible before another node takes it. Default 30 s, at least 100 ms.
         */
        public Builder visibilityTimeout(Duration d) {
            this.visibilityTimeout = atLeast("visibilityTimeout", d, Duration.ofMillis(100));
            return this;
        }

        /** Deliveries of one action before it is dropped with a warning (poison action). Default 5. */
        public Builder maxDeliveries(int n) {
            if (n < 1) throw new IllegalArgumentException("maxDeliveries must be >= 1: " + n);
            this.maxDeliveries = n;
            return this;
        }

        /**
         * The longest wait for one Redis command, and for connecting; also how long commands are
         * held while Redis is unreachable before they fail. Default 5 s, at least 50 ms.
         */
        public Builder commandTimeout(Duration d) {
            this.commandTimeout = atLeast("commandTimeout", d, Duration.ofMillis(50));
            return this;
        }

        /**
         * The delay before the first reconnect attempt after Redis went away, doubling up to
         * {@code max} between attempts. Default 100 ms to 10 s.
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            Duration lo = atLeast("reconnectBackoff min", min, Duration.ofMillis(1));
            Duration hi = atLeast("reconnectBackoff max", max, Duration.ofMillis(1));
            if (hi.compareTo(lo) < 0) throw new IllegalArgumentException("reconnectBackoff max " + hi + " is below min " + lo);
            this.reconnectMinDelay = lo;
            this.reconnectMaxDelay = hi;
            return this;
        }

        public RedisSettings build() {
            return new RedisSettings(this);
        }

        private static Duration atLeast(String name, Duration d, Duration min) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0) throw new IllegalArgumentException(name + " must be >= " + min + ": " + d);
            return d;
        }

        private static String redact(String uri) {
            int at = uri.lastIndexOf('@');
            return at < 0 ? uri : "***" + uri.substring(at);
        }
    }
}
