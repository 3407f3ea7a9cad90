package io.halley.redis;

import io.halley.core.settings.Setting;
import io.halley.core.settings.SettingGroup;
import io.halley.core.settings.ValueType;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StaticCredentialsProvider;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Redis parts of Halley ({@link RedisHub}, {@link RedisChannelHistory}, {@link RedisQueue})
 * reach Redis and lay out their data. Immutable and thread-safe; built with {@link #builder()} or
 * changed with {@link #toBuilder()}. Every setting is declared once below ({@link #SETTINGS}:
 * name, type, default, valid values, meaning), the builder checks values with those declarations,
 * and the table in {@code docs/settings.md} is rendered from them. Every node of one system must
 * use the same URI and key prefix; the other settings may differ per node.
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class RedisSettings {
    /** The settings of {@link Builder}, in declaration order. */
    public static final SettingGroup<Builder> SETTINGS = SettingGroup.of("Redis (`RedisSettings`)",
            "RedisSettings.builder()", "How `RedisHub`, `RedisChannelHistory` and `RedisQueue` reach Redis and lay "
            + "out their data; set in code only (`RedisSettings.of(uri)` for the defaults and a URI). Every node of "
            + "one system must use the same `uri` and `keyPrefix`; the other settings may differ per node.");

    public static final Setting<Builder, String> URI = SETTINGS.define("uri", ValueType.STRING)
            .defaultValue("redis://localhost:6379")
            .validate("a `redis://`, `rediss://`, `redis-sentinel://`, `rediss-sentinel://`, `redis-cluster://` or `rediss-cluster://` URI",
                    RedisUris::check)
            .meaning("the server: `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS (verified "
                    + "against the JVM's trust store), or Sentinel: `redis-sentinel://[[user]:password@]host:port[,host:port…][/db]#<master>` "
                    + "(`rediss-sentinel://` for TLS; the password is the master's and replicas', the sentinels' is "
                    + "`sentinelPassword`; every connection asks the sentinels for the master, again on each reconnect), or a Redis Cluster (7+): "
                    + "`redis-cluster://[[user]:password@]host:port[,host:port…]` (`rediss-cluster://` for TLS; the nodes "
                    + "given are the seeds the topology is read from; channels then travel over sharded pub/sub)")
            .setter(Builder::uri)
            .build();
    public static final Setting<Builder, String> PASSWORD = SETTINGS.define("password", ValueType.STRING)
            .noDefault("none (the URI's, if any)").check("non-empty (null for none)", p -> !p.isEmpty()).secret()
            .meaning("the AUTH password, overriding one in the URI")
            .setter(Builder::password)
            .build();
    public static final Setting<Builder, String> SENTINEL_PASSWORD = SETTINGS.define("sentinelPassword", ValueType.STRING)
            .noDefault("none (the sentinels need none)").check("non-empty (null for none)", p -> !p.isEmpty()).secret()
            .meaning("the AUTH password of the sentinels of a `redis-sentinel://` URI (`uri`'s password and `password` are "
                    + "the master's and replicas')")
            .setter(Builder::sentinelPassword)
            .build();
    public static final Setting<Builder, String> KEY_PREFIX = SETTINGS.define("keyPrefix", ValueType.STRING)
            .defaultValue("halley:")
            .check("non-empty without spaces, control characters or braces",
                    p -> !p.isEmpty() && p.chars().noneMatch(c -> c <= ' ' || c == 0x7f || c == '{' || c == '}'))
            .meaning("prefix of every key and pub/sub channel, so that several systems can share one Redis; without "
                    + "braces, since the keys' `{…}` hash tags keep each script on one Redis Cluster slot")
            .setter(Builder::keyPrefix)
            .build();
    public static final Setting<Builder, Integer> HISTORY_SIZE = SETTINGS.define("historySize", ValueType.INT)
            .defaultValue(1000).check(">= 0", n -> n >= 0)
            .meaning("messages kept per channel for catch-up; 0 keeps none (ids only). Halley's `channelHistory` "
                    + "does not apply with `RedisChannelHistory`")
            .setter(Builder::historySize)
            .build();
    public static final Setting<Builder, Integer> HUB_STREAM_LENGTH = SETTINGS.define("hubStreamLength", ValueType.INT)
            .defaultValue(10_000).check(">= 100", n -> n >= 100)
            .meaning("entries kept (about: `XADD MAXLEN ~`) in each recorded hub topic's Redis Stream (GLOBAL pool "
                    + "messages, commands for pages on other nodes): how far a node that lost Redis for a while catches "
                    + "up; past it its pool members get `PoolMessage.Gap` and its pages `resync`")
            .setter(Builder::hubStreamLength)
            .build();
    public static final Setting<Builder, Duration> VISIBILITY_TIMEOUT = SETTINGS.define("visibilityTimeout", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(30)).check(">= 100 ms", d -> d.compareTo(Duration.ofMillis(100)) >= 0)
            .meaning("how long a queued action taken by a node that stopped renewing it (the node died, hung or lost "
                    + "Redis) stays invisible before another node takes it")
            .setter(Builder::visibilityTimeout)
            .build();
    public static final Setting<Builder, Integer> MAX_DELIVERIES = SETTINGS.define("maxDeliveries", ValueType.INT)
            .defaultValue(5).check(">= 1", n -> n >= 1)
            .meaning("deliveries of one action before it is dropped with a warning (a poison action)")
            .setter(Builder::maxDeliveries)
            .build();
    public static final Setting<Builder, Duration> COMMAND_TIMEOUT = SETTINGS.define("commandTimeout", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(5)).check(">= 50 ms", d -> d.compareTo(Duration.ofMillis(50)) >= 0)
            .meaning("the longest wait for one Redis command, and for connecting; also how long commands are held "
                    + "while Redis is unreachable before they fail")
            .setter(Builder::commandTimeout)
            .build();
    public static final Setting<Builder, Duration> RECONNECT_MIN_DELAY = SETTINGS.define("reconnectMinDelay", ValueType.DURATION)
            .defaultValue(Duration.ofMillis(100)).check(">= 1 ms", d -> d.compareTo(Duration.ofMillis(1)) >= 0)
            .meaning("the delay before the first reconnect attempt after Redis went away")
            .builderMethod("`reconnectBackoff(Duration min, Duration max)`")
            // alone (a configuration property) it raises the maximum when it is above it
            .setter((b, d) -> b.reconnectBackoff(d, d.compareTo(b.reconnectMaxDelay) > 0 ? d : b.reconnectMaxDelay))
            .build();
    public static final Setting<Builder, Duration> RECONNECT_MAX_DELAY = SETTINGS.define("reconnectMaxDelay", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(10)).check(">= 1 ms, and >= `reconnectMinDelay`",
                    d -> d.compareTo(Duration.ofMillis(1)) >= 0)
            .meaning("the longest delay between reconnect attempts; the delay doubles from the first up to it")
            .builderMethod("`reconnectBackoff(Duration min, Duration max)`")
            .setter((b, d) -> b.reconnectBackoff(b.reconnectMinDelay, d))
            .build();

    private final String uri;
    private final String password;
    private final String sentinelPassword;
    private final String keyPrefix;
    private final int historySize;
    private final int hubStreamLength;
    private final Duration visibilityTimeout;
    private final int maxDeliveries;
    private final Duration commandTimeout;
    private final Duration reconnectMinDelay;
    private final Duration reconnectMaxDelay;

    private RedisSettings(Builder b) {
        this.uri = b.uri;
        this.password = b.password;
        this.sentinelPassword = b.sentinelPassword;
        this.keyPrefix = b.keyPrefix;
        this.historySize = b.historySize;
        this.hubStreamLength = b.hubStreamLength;
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
        b.sentinelPassword = sentinelPassword;
        b.keyPrefix = keyPrefix;
        b.historySize = historySize;
        b.hubStreamLength = hubStreamLength;
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

    public int hubStreamLength() {
        return hubStreamLength;
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

    /** Whether {@link #uri()} names a Redis Cluster ({@code redis-cluster://} or {@code rediss-cluster://}). */
    public boolean cluster() {
        return RedisUris.isCluster(uri);
    }

    /**
     * The seed nodes of a cluster URI, each as a Lettuce URI with the password and timeout applied:
     * {@code redis-cluster://u:p@h1:1,h2:2} is {@code redis://u:p@h1:1} and {@code redis://u:p@h2:2}.
     */
    java.util.List<RedisURI> clusterUris(String clientName) {
        java.util.List<RedisURI> out = new java.util.ArrayList<>();
        for (String node : RedisUris.clusterNodes(uri)) {
            RedisURI u = RedisURI.create(node);
            applyTo(u, clientName);
            out.add(u);
        }
        return out;
    }

    /**
     * The Lettuce form of the URI with the password and timeout applied (not for a cluster URI);
     * a Sentinel URI's sentinels get {@link #SENTINEL_PASSWORD}.
     */
    RedisURI redisUri(String clientName) {
        RedisURI u = RedisURI.create(uri);
        applyTo(u, clientName);
        if (sentinelPassword != null) {
            for (RedisURI sentinel : u.getSentinels()) {
                sentinel.setCredentialsProvider(new StaticCredentialsProvider(null, sentinelPassword.toCharArray()));
            }
        }
        return u;
    }

    private void applyTo(RedisURI u, String clientName) {
        if (password != null) {
            // a credentials provider, not setAuthentication/setPassword: only it is in Lettuce 6.6 to 7.x alike
            // (Spring Boot 3.5 and 4.0 bring Lettuce 6)
            u.setCredentialsProvider(new StaticCredentialsProvider(RedisUris.user(uri), password.toCharArray()));
        }
        u.setTimeout(commandTimeout);
        u.setClientName(clientName);
    }

    /** The URI with any user information replaced by {@code ***}, for logs and messages. */
    String redactedUri() {
        return RedisUris.redacted(uri);
    }

    @Override
    public String toString() {
        return "RedisSettings[uri=" + redactedUri() + (password != null ? ", password=***" : "")
                + (sentinelPassword != null ? ", sentinelPassword=***" : "")
                + ", keyPrefix=" + keyPrefix + ", historySize=" + historySize + ", hubStreamLength=" + hubStreamLength
                + ", visibilityTimeout=" + visibilityTimeout + ", maxDeliveries=" + maxDeliveries
                + ", commandTimeout=" + commandTimeout + ", reconnect=" + reconnectMinDelay + ".." + reconnectMaxDelay + "]";
    }

    /**
     * Builds {@link RedisSettings}. Not thread-safe. Each setter checks its value at once and
     * fails with {@link IllegalArgumentException} (or {@link NullPointerException}) naming it.
     */
    public static final class Builder {
        private String uri = URI.defaultValue();
        private String password = PASSWORD.defaultValue();
        private String sentinelPassword = SENTINEL_PASSWORD.defaultValue();
        private String keyPrefix = KEY_PREFIX.defaultValue();
        private int historySize = HISTORY_SIZE.defaultValue();
        private int hubStreamLength = HUB_STREAM_LENGTH.defaultValue();
        private Duration visibilityTimeout = VISIBILITY_TIMEOUT.defaultValue();
        private int maxDeliveries = MAX_DELIVERIES.defaultValue();
        private Duration commandTimeout = COMMAND_TIMEOUT.defaultValue();
        private Duration reconnectMinDelay = RECONNECT_MIN_DELAY.defaultValue();
        private Duration reconnectMaxDelay = RECONNECT_MAX_DELAY.defaultValue();

        private Builder() {
        }

        /**
         * Sets {@link #URI}: the server, {@code redis://…} or {@code rediss://…} for TLS, a Sentinel
         * set ({@code redis-sentinel://…#master}) or a Redis Cluster ({@code redis-cluster://h:p,h:p}).
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            this.uri = URI.check(uri);
            return this;
        }

        /** Sets {@link #PASSWORD}: the AUTH password, overriding one in the URI; null for the URI's. */
        public Builder password(String password) {
            this.password = PASSWORD.check(password);
            return this;
        }

        /** Sets {@link #SENTINEL_PASSWORD}: the sentinels' AUTH password; null for none. */
        public Builder sentinelPassword(String password) {
            this.sentinelPassword = SENTINEL_PASSWORD.check(password);
            return this;
        }

        /** Sets {@link #KEY_PREFIX}: the prefix of every key and pub/sub channel. */
        public Builder keyPrefix(String prefix) {
            Objects.requireNonNull(prefix, "keyPrefix");
            this.keyPrefix = KEY_PREFIX.check(prefix);
            return this;
        }

        /** Sets {@link #HISTORY_SIZE}: messages kept per channel for catch-up. */
        public Builder historySize(int n) {
            this.historySize = HISTORY_SIZE.check(n);
            return this;
        }

        /** Sets {@link #HUB_STREAM_LENGTH}: entries kept per recorded hub topic for catch-up. */
        public Builder hubStreamLength(int n) {
            this.hubStreamLength = HUB_STREAM_LENGTH.check(n);
            return this;
        }

        /** Sets {@link #VISIBILITY_TIMEOUT}: how long an action held by a silent node stays invisible. */
        public Builder visibilityTimeout(Duration d) {
            Objects.requireNonNull(d, "visibilityTimeout");
            this.visibilityTimeout = VISIBILITY_TIMEOUT.check(d);
            return this;
        }

        /** Sets {@link #MAX_DELIVERIES}: deliveries of one action before it is dropped. */
        public Builder maxDeliveries(int n) {
            this.maxDeliveries = MAX_DELIVERIES.check(n);
            return this;
        }

        /** Sets {@link #COMMAND_TIMEOUT}: the longest wait for one Redis command. */
        public Builder commandTimeout(Duration d) {
            Objects.requireNonNull(d, "commandTimeout");
            this.commandTimeout = COMMAND_TIMEOUT.check(d);
            return this;
        }

        /**
         * Sets {@link #RECONNECT_MIN_DELAY} and {@link #RECONNECT_MAX_DELAY}: the delay before the
         * first reconnect attempt after Redis went away, doubling up to {@code max}.
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            Objects.requireNonNull(min, "reconnectBackoff min");
            Objects.requireNonNull(max, "reconnectBackoff max");
            Duration lo = RECONNECT_MIN_DELAY.check(min);
            Duration hi = RECONNECT_MAX_DELAY.check(max);
            if (hi.compareTo(lo) < 0) throw new IllegalArgumentException("reconnectBackoff max " + hi + " is below min " + lo);
            this.reconnectMinDelay = lo;
            this.reconnectMaxDelay = hi;
            return this;
        }

        public RedisSettings build() {
            return new RedisSettings(this);
        }
    }
}
