package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.spi.Hub;
import io.halley.core.spi.Queue;
import io.halley.redis.RedisHub;
import io.halley.redis.RedisQueue;
import io.halley.testing.LeakCheck;
import io.halley.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Boot applications on one real redis-server share a channel: with halley-redis on the class
 * path, {@code halley.redis.uri} or Spring Data Redis's {@code spring.data.redis.host}/{@code port}
 * make the auto-configuration use the Redis hub, queue and history; on a server that requires a
 * password, {@code halley.redis.password} or {@code spring.data.redis.password} gets them in.
 */
class RedisPairTest {
    static RedisServer redis;

    @BeforeAll
    static void launch() throws Exception {
        redis = RedisServer.launch();
    }

    @AfterAll
    static void stop() {
        if (redis != null) redis.close();
    }

    @Test
    void aMessagePublishedOnOneNodeReachesAPageOnTheOther() throws Exception {
        try (BootHarness a = BootHarness.start("halley.redis.uri=" + redis.uri(), "halley.redis.key-prefix=boot-pair:");
             BootHarness b = BootHarness.start("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                     "halley.redis.key-prefix=boot-pair:")) {
            assertInstanceOf(RedisHub.class, a.context.getBean(Hub.class));
            assertInstanceOf(RedisHub.class, b.context.getBean(Hub.class));
            assertInstanceOf(RedisQueue.class, b.context.getBean(Queue.class));
            a.awaitNewsFrom(b, "from-node-b");
        }
        LeakCheck.awaitNoThreads("lettuce-");
    }

    @Test
    void aPasswordProtectedServerIsReachedWithSpringDataRedisPasswordOrHalleysOwn() throws Exception {
        try (RedisServer secured = RedisServer.launch()) {
            Process p = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(secured.port()),
                    "CONFIG", "SET", "requirepass", "pair-secret").redirectErrorStream(true).start();
            assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "redis-cli finished");
            assertEquals("OK", new String(p.getInputStream().readAllBytes()).trim(), "requirepass set");
            // Boot brings Lettuce 6: the password must reach it through an API Lettuce 6 has
            try (BootHarness a = BootHarness.start("halley.redis.uri=" + secured.uri(), "halley.redis.password=pair-secret");
                 BootHarness b = BootHarness.start("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + secured.port(),
                         "spring.data.redis.password=pair-secret")) {
                a.awaitNewsFrom(b, "from-secured-b");
            }
        }
        LeakCheck.awaitNoThreads("lettuce-");
    }
}
