package io.halley.core;

import io.halley.core.comet.Comet;
import io.halley.core.internal.ChannelRegistry;
import io.halley.core.internal.CometExecutor;
import io.halley.core.internal.PoolRegistry;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link Page} (and the comet functions it starts) needs from its runtime, and no more: the
 * pools and channels it joins, the threads it runs on, the settings it obeys and the two moments it
 * reports. {@link Halley} implements it with a private object; a page never sees the runtime.
 * Every method is cheap, never blocks and may be called from any thread.
 */
interface PageHost {

    /** The settings: {@code replayFrames}, {@code replayBytes}, {@code pageLease}, the per-page limits, {@code nodeId}. */
    HalleyConfig config();

    /** The pools functions join. */
    PoolRegistry pools();

    /** The channels pages subscribe to. */
    ChannelRegistry channels();

    /**
     * The executor functions run on.
     *
     * @throws IllegalStateException when the runtime is not started or is closed
     */
    CometExecutor executor();

    /** The timer of page leases. */
    ScheduledExecutorService scheduler();

    /** Called once when {@code page} starts dying, before its functions and subscriptions end: forget it. */
    void pageDying(Page page);

    /** Called once when {@code page} has died (functions cancelled, outbox closed): tell the listeners. */
    void pageClosed(Page page);

    /** The runtime itself, only to hand to comet functions as {@code Comet.halley()}; pages never call it. */
    Halley runtime();
}
