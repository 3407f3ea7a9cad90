package io.halley.core;

import io.halley.core.command.Command;
import io.halley.core.command.Commands;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes commands to a page from outside any comet function: a servlet, a scheduled job, a
 * message listener. Obtained from {@link Page#writer()}. Thread-safe; {@link #flush()} ships
 * what was queued as one frame and never blocks on the network.
 */
public final class PageWriter implements Commands<PageWriter> {
    private final Page page;
    private final List<Command> pending = new ArrayList<>();

    PageWriter(Page page) {
        this.page = page;
    }

    @Override
    public synchronized PageWriter add(Command command) {
        pending.add(command);
        return this;
    }

    /**
     * Ships the queued commands as one frame.
     *
     * @return the frame's sequence; 0 if nothing was queued; -1 if the page died
     * @throws HalleyException TOO_LARGE if the frame exceeds the page's replay buffer
     */
    public long flush() {
        List<Command> batch;
        synchronized (this) {
            if (pending.isEmpty()) return 0;
            batch = new ArrayList<>(pending);
            pending.clear();
        }
        return page.flush(batch);
    }
}
