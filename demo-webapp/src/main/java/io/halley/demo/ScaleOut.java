package io.halley.demo;

import io.halley.core.Halley;
import io.halley.redis.RedisChannelHistory;
import io.halley.redis.RedisHub;
import io.halley.redis.RedisQueue;
import io.halley.redis.RedisSettings;

/**
 * Several demo nodes on one Redis: {@code java -jar halley-demo.jar --redis redis://host:6379}.
 * The runtime gets a {@link RedisHub} (GLOBAL pools such as the chat, channels, commands for pages
 * on other nodes), a {@link RedisChannelHistory} (one id sequence and catch-up history per channel)
 * and a {@link RedisQueue} (server actions, run by any node); the runtime closes them.
 *
 * <p>Only the embedded server uses this class, and only with a Redis URI: the WAR leaves the Redis
 * jars out.
 */
public final class ScaleOut {

    private ScaleOut() {
    }

    /**
     * Puts the Redis parts for {@code uri} into {@code builder}; each connects at once.
     *
     * @throws IllegalArgumentException for a malformed URI
     * @throws io.halley.redis.RedisUnavailableException when Redis cannot be reached
     */
    static void configure(Halley.Builder builder, String uri) {
        RedisSettings settings = RedisSettings.builder().uri(uri).build();
        RedisHub hub = new RedisHub(settings);
        RedisChannelHistory history = null;
        try {
            history = new RedisChannelHistory(settings);
            builder.hub(hub).history(history).queue(new RedisQueue(settings));
        } catch (RuntimeException e) {
            if (history != null) history.close();
            hub.close();
            throw e;
        }
    }

    /** Checks {@code uri} without connecting. @throws IllegalArgumentException when it is malformed */
    static void check(String uri) {
        RedisSettings.builder().uri(uri);
    }
}
