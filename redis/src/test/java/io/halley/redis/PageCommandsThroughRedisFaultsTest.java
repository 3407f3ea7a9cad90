package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.command.Command;
import io.halley.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commands for a page held by another node, sent all along while Redis pauses (SIGSTOP 20 s, the
 * issue's pause, twenty times the 1 s command timeout) and then loses its data: across the pause every command arrives
 * once, in order, with no resync; across the loss the page gets a {@code resync} frame, and the
 * commands after it arrive in order.
 */
@Timeout(120)
class PageCommandsThroughRedisFaultsTest extends ClusterTestSupport {

    @Test
    void pageCommandsSurviveAPauseAndADataLossEndsInResyncNotSilence() throws Exception {
        RedisSettings s = settings().commandTimeout(Duration.ofSeconds(1)).build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        Page page = b.open("reader");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        Thread sender = new Thread(() -> {
            while (!stop.get()) {
                a.deliver(page.id(), List.of(new Command.Text("#n", Integer.toString(sent.get()))));
                sent.incrementAndGet();
                Await.pause(50); // every frame stays readable: the page keeps its last 1000 (replayFrames)
            }
        }, "test-page-sender");
        sender.start();
        int beforeLoss;
        try {
            Await.pause(300);
            redis.pause();
            Await.pause(20_000);
            redis.resume();
            int upTo = sent.get() - 1;
            Await.until("command " + upTo + " reached the page after the pause", Duration.ofSeconds(30),
                    () -> texts(page, "#n").contains(Integer.toString(upTo)));
            assertEquals(0, resyncs(page), "no resync while Redis kept its data");
            List<Integer> got = numbers(page);
            for (int i = 0; i < got.size(); i++) assertEquals(i, got.get(i), "command " + i + " once, in order: " + got);
            beforeLoss = got.size();

            redis.kill();
            Await.pause(1000);
            redis.start();
            Await.until("the page got resync after Redis lost its data", Duration.ofSeconds(30), () -> resyncs(page) > 0);
        } finally {
            stop.set(true);
            sender.join(5000);
        }
        int last = sent.get() - 1;
        Await.until("the last command reached the page", Duration.ofSeconds(30), () -> texts(page, "#n").contains(Integer.toString(last)));
        List<Integer> got = numbers(page);
        for (int i = 1; i < got.size(); i++) assertTrue(got.get(i) > got.get(i - 1), "in order, no duplicate: " + got);
        System.err.println("page commands through faults: " + sent.get() + " sent, " + beforeLoss + " before the loss, "
                + got.size() + " delivered, " + resyncs(page) + " resync");
        page.close();
    }

    private static long resyncs(Page page) {
        return commands(page).stream().filter(c -> "resync".equals(c.get("op").getAsString())).count();
    }

    private static List<Integer> numbers(Page page) {
        List<Integer> out = new ArrayList<>();
        for (JsonObject c : commands(page)) {
            if ("text".equals(c.get("op").getAsString())) out.add(Integer.parseInt(c.get("text").getAsString()));
        }
        return out;
    }
}
