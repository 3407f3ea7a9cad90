package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.halley.core.Halley;
import io.halley.core.comet.CometFunction;
import io.halley.core.comet.PoolMessage;
import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.SseFeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat over one GLOBAL pool on three web nodes (Jetty, {@code CometServlet}, a page per node
 * read over SSE by a real HTTP client) while Redis restarts keeping its data, pauses (SIGSTOP 20 s,
 * twenty times the 1 s command timeout, the streams held open all along) and is killed and started empty; node A's lines are said
 * through {@code POST /call/say} all along (numbered where they are sent). Every page's stream carries every line once and in
 * order, with no gap line through the restart and the pause, and a gap line (what the chat demo
 * shows for {@link PoolMessage.Gap}) before any hole after the data loss.
 */
@Timeout(150)
class ChatThroughRedisFaultsWebTest extends WebClusterSupport {

    private static final CometFunction CHATTER = c -> {
        c.text("#log", "in").flush();
        while (true) {
            Object m = c.receive();
            if (m instanceof String) c.text("#log", (String) m).flush();
            else if (m instanceof PoolMessage.Gap) c.text("#log", "gap").flush();
        }
    };

    @Test
    void everyPageStreamCarriesEveryLineOnceInOrderOrAGapLine() throws Exception {
        RedisSettings s = redisSettings().commandTimeout(Duration.ofSeconds(1)).build();
        AtomicInteger said = new AtomicInteger(); // numbered where they are sent, so their order is the number's
        Map<String, WebNode> nodes = webNodes(List.of("a", "b", "c"), n -> {
            Halley h = runtime(n, s, true);
            h.register("join", (r, args) -> {
                r.page().cometGlobal(CHATTER, "chat");
                return null;
            });
            h.register("say", (r, args) -> {
                synchronized (said) {
                    h.sendGlobal("chat", "line " + said.getAndIncrement());
                }
                return null;
            });
            return h;
        });
        List<SseFeed> feeds = new ArrayList<>();
        HttpBrowser speaker = null;
        HttpBrowser.PageRef speakerPage = null;
        for (String n : List.of("a", "b", "c")) {
            HttpBrowser browser = browser(nodes.get(n).origin());
            HttpBrowser.PageRef page = browser.openPage(nodes.get(n).server());
            SseFeed feed = browser.sse(page);
            browser.postOk(page, "/call/join", "\"args\":[]", 202);
            Await.until("the function on " + n + " runs", () -> feed.texts("#log").contains("in"));
            feeds.add(feed);
            if (n.equals("a")) {
                speaker = browser;
                speakerPage = page;
            }
        }
        HttpBrowser talk = speaker;
        HttpBrowser.PageRef talkPage = speakerPage;
        AtomicBoolean stop = new AtomicBoolean();
        Thread speaking = new Thread(() -> {
            while (!stop.get()) {
                try {
                    talk.postOk(talkPage, "/call/say", "\"args\":[]", 202);
                } catch (Exception | AssertionError e) {
                    if (!stop.get()) throw new IllegalStateException(e);
                }
                Await.pause(20);
            }
        }, "test-speaker");
        speaking.start();
        try {
            Await.pause(300);
            redis.restartKeepingData();
            awaitSaidSoFar(feeds, said, "after the restart that kept the data");
            redis.pause();
            Await.pause(20_000);
            redis.resume();
            awaitSaidSoFar(feeds, said, "after the 20 s pause");
            for (SseFeed f : feeds) {
                assertFalse(f.texts("#log").contains("gap"), "a gap though Redis kept its data: " + f.texts("#log"));
                check(f.texts("#log"), false);
            }
            redis.kill();
            Await.pause(1500);
            redis.start();
            Await.pause(500);
        } finally {
            stop.set(true);
            speaking.join(10_000);
        }
        awaitSaidSoFar(feeds, said, "after Redis lost its data");
        for (SseFeed f : feeds) check(f.texts("#log"), true);
        System.err.println("web chat through faults: " + said.get() + " lines said on a, 3 pages; gap lines: "
                + feeds.stream().map(f -> f.texts("#log").stream().filter("gap"::equals).count()).toList());
    }

    private static void awaitSaidSoFar(List<SseFeed> feeds, AtomicInteger said, String when) {
        String last = "line " + (said.get() - 1);
        Await.until("every page's stream has " + last + " " + when, Duration.ofSeconds(30),
                () -> feeds.stream().allMatch(f -> f.texts("#log").contains(last)));
    }

    /** Lines "line n" increase by one; a hole only after a "gap" line, when allowed. */
    private static void check(List<String> log, boolean gapsAllowed) {
        int expected = 0;
        boolean gap = false;
        for (String entry : log) {
            if (entry.equals("gap")) {
                gap = true;
                continue;
            }
            if (!entry.startsWith("line ")) continue;
            int n = Integer.parseInt(entry.substring(5));
            if (n < expected) fail("line " + n + " again or out of order: " + log);
            if (n > expected && !(gapsAllowed && gap)) fail("lines " + expected + ".." + (n - 1) + " missing with no gap: " + log);
            expected = n + 1;
            gap = false;
        }
    }
}
