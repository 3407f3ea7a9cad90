package io.halley.core;

import io.halley.core.command.Command;
import io.halley.core.command.Commands;
import java.util.ArrayList;
import java.util.List;

/**
 * The response a callback queues commands on (Sijax's {@code obj_response}). Used by the
 * callback's thread; {@link #flush()} ships the queued commands as one frame without blocking on
 * the network.
 */
public final class CallResponse implements Commands<CallResponse> {
    private final Page page;
    private final String callId;
    private final List<Command> pending = new ArrayList<>();

    CallResponse(Page page, String callId) {
        this.page = page;
        this.callId = callId;
    }

    /** The page that made the call. */
    public Page page() {
        return page;
    }

    /** The caller's user: the {@link Page#user() user} of the page that made the call. */
    public User user() {
        return page.user();
    }

    /** The call's id, as the client knows it. */
    public String callId() {
        return callId;
    }

    @Override
    public synchronized CallResponse add(Command command) {
        pending.add(command);
        return this;
    }

    /**
     * Ships what is queued as one frame (Sijax's {@code yield}). A no-op when nothing is queued.
     *
     * @throws HalleyException GONE when the page died meanwhile
     */
    public CallResponse flush() {
        List<Command> batch = drain();
        if (!batch.isEmpty() && page.flush(batch) < 0) {
            throw new HalleyException(HalleyException.Kind.GONE, "page is gone");
        }
        return this;
    }

    /** Ships what is queued plus {@code last} as the call's final frame. */
    void finish(Command last) {
        List<Command> batch = drain();
        batch.add(last);
        page.flush(batch);
    }

    private synchronized List<Command> drain() {
        List<Command> batch = new ArrayList<>(pending);
        pending.clear();
        return batch;
    }
}
