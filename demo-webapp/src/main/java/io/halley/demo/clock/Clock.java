package io.halley.demo.clock;

import io.halley.core.Page;
import io.halley.core.comet.Comet;
import io.halley.core.comet.CometHandle;
import io.halley.core.comet.CometOptions;
import io.halley.core.command.Command;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Nitrogen's clock ({@code comet_loop/0} of the {@code #comet{}} seed): a comet function that
 * updates {@code #clock}, flushes and sleeps a second, for as long as its page lives.
 *
 * <p>Its reconnect action calls the page's {@code clockDemo.restart()}: when the server lost the
 * page (the client got 410 and opened a new one), that function POSTs the new page id and token
 * to {@link ClockStart}, which starts a new clock for the new page. The tick count in
 * {@code #ticks} starts again at 1, so a restart is visible.
 */
public final class Clock {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final CometOptions OPTIONS = CometOptions.builder()
            .reconnectActions(new Command.Call("clockDemo.restart", List.of()))
            .build();

    private Clock() {
    }

    /** Starts a clock for {@code page} unless one already runs there; returns whether it started one. */
    static boolean startIfIdle(Page page) {
        synchronized (Clock.class) { // two restarts racing for one page must not start two clocks
            if (page.functionCount() > 0) return false;
            start(page);
            return true;
        }
    }

    /** Starts a clock for {@code page} (in a private pool: no other function shares it). */
    static CometHandle start(Page page) {
        return page.comet(Clock::run, OPTIONS);
    }

    private static void run(Comet c) {
        for (long tick = 1; ; tick++) {
            c.update("#clock", "<time>" + LocalTime.now().format(TIME) + "</time>");
            c.text("#ticks", "tick " + tick + " of this function");
            c.flush();
            c.sleep(Duration.ofSeconds(1)); // throws PageDiedException when the page dies: the loop ends
        }
    }
}
