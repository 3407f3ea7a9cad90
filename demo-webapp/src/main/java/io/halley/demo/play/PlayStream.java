package io.halley.demo.play;

import io.halley.servlet.ScriptStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /play/stream}: Play's Comet helper, the servlet way. A forever-iframe document of
 * {@code <script>parent.cometMessage("tick N at HH:mm:ss");</script>} chunks, written by
 * {@link ScriptStream} from a ticking {@link java.util.concurrent.Flow.Publisher}; the parent page
 * ({@code play.html}) defines {@code cometMessage}. Needs {@code asyncSupported}: the request is
 * held, and no thread waits on it.
 */
public final class PlayStream extends HttpServlet {
    private static final ScriptStream STREAM = ScriptStream.builder("parent.cometMessage").build();

    private final transient TickPublishers ticks;

    public PlayStream(TickPublishers ticks) {
        this.ticks = ticks;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        STREAM.stream(req, resp, ticks.ticks());
    }
}
