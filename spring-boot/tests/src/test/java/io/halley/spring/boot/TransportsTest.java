package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.testing.Await;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A page rendered by a Spring MVC controller opens; its comet function's frames, a channel
 * message, a callback bean's answer and an action bean's reply arrive over each transport.
 */
class TransportsTest {
    static BootHarness app;

    @BeforeAll
    static void start() {
        app = BootHarness.start("halley.heartbeat=0.5", "halley.poll-timeout=2s");
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    /** Whether {@code text} arrived: on the held stream, or (long-poll) in a poll from the start of the replay buffer. */
    private static boolean arrived(String transport, BootHarness.Held stream, String page, String text) {
        if (!transport.equals("poll")) return stream.saw(text);
        try {
            HttpResponse<String> r = app.get("/halley/poll?page=" + page + "&since=0");
            return r.statusCode() == 200 && r.body().contains(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "iframe", "poll"})
    void framesChannelMessagesCallbacksAndActionsArrive(String transport) throws Exception {
        BootHarness.Rendered page = app.clock();
        BootHarness.Held stream = transport.equals("poll") ? null : app.open(transport, page.page());
        if (stream != null) assertEquals(200, stream.status, transport);
        Await.until("comet frames over " + transport, BootHarness.TIMEOUT, () -> arrived(transport, stream, page.page(), "tick 3"));
        app.context.getBean(Halley.class).publish("news", "news-for-" + transport);
        Await.until("the channel message over " + transport, BootHarness.TIMEOUT,
                () -> arrived(transport, stream, page.page(), "news-for-" + transport));
        String[] headers = {"Origin", app.origin(), "X-Halley-Token", page.token(), page.csrfHeader(), page.csrf()};
        HttpResponse<String> call = app.post("/halley/call/greet",
                "{\"page\":\"" + page.page() + "\",\"args\":[\"bob-" + transport + "\"]}", headers);
        assertEquals(202, call.statusCode(), call.body());
        Await.until("the callback bean's answer", BootHarness.TIMEOUT,
                () -> arrived(transport, stream, page.page(), "hello bob-" + transport));
        HttpResponse<String> action = app.post("/halley/action/echo",
                "{\"page\":\"" + page.page() + "\",\"params\":{\"said\":\"echo-" + transport + "\"}}", headers);
        assertEquals(202, action.statusCode(), action.body());
        Await.until("the action bean's reply", BootHarness.TIMEOUT, () -> arrived(transport, stream, page.page(), "echo-" + transport));
        HttpResponse<String> chat = app.post("/halley/publish",
                "{\"page\":\"" + page.page() + "\",\"channel\":\"chat\",\"data\":\"hi\"}", headers);
        assertEquals(2, chat.statusCode() / 100, "the ChannelPolicy bean allows chat: " + chat.body());
        HttpResponse<String> news = app.post("/halley/publish",
                "{\"page\":\"" + page.page() + "\",\"channel\":\"news\",\"data\":\"hi\"}", headers);
        assertEquals(403, news.statusCode(), "and refuses news: " + news.body());
        assertTrue(app.context.getBean(BootApp.Opened.class).count.get() >= 1, "the PageListener bean was told");
        if (stream != null) stream.close();
    }
}
