package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.SseFeed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * During a Redis outage a browser's publish answers 503 with a generic reason: no Redis host,
 * port, URI or client-library text reaches the response (that detail is logged), and
 * {@code Retry-After} says when to try again. Real redis-server, real Jetty.
 */
@Timeout(60)
class RedisOutageAnswerTest extends WebClusterSupport {

    @Test
    void aPublishDuringARedisOutageAnswers503NamingNoHostOrPort() throws Exception {
        RedisSettings s = redisSettings().commandTimeout(Duration.ofMillis(500)).build();
        Map<String, WebNode> nodes = webNodes(List.of("a"), n -> runtime(n, s, true));
        WebNode a = nodes.get("a");
        HttpBrowser browser = browser(a.origin());
        HttpBrowser.PageRef p = browser.openPage(a.server());
        browser.postOk(p, "/publish", "\"channel\":\"feed\",\"data\":1", 202);

        redis.kill();
        HttpBrowser.Resp r = browser.pagePost(p, "/publish", "\"channel\":\"feed\",\"data\":2");
        assertEquals(503, r.status(), r.raw().body());
        assertEquals("5", r.header("Retry-After"));
        assertEquals("temporarily unavailable, retry later", r.json().get("error").getAsString());
        String body = r.raw().body();
        for (String leak : List.of(Integer.toString(redis.port()), "127.0.0.1", "redis", "Redis", "timed out", "lettuce",
                "Exception")) {
            assertFalse(body.contains(leak), "'" + leak + "' in the 503 body: " + body);
        }

        redis.start();
        Await.until("publishing works again", Duration.ofSeconds(20), () -> {
            try {
                return browser.pagePost(p, "/publish", "\"channel\":\"feed\",\"data\":3").status() == 202;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
