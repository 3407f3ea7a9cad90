package io.halley.core.internal;

import io.halley.core.Page;
import io.halley.core.transport.FrameConsumer;
import io.halley.core.transport.FrameLog;
import io.halley.core.transport.PageStream;

/**
 * The hook through which code outside {@code io.halley.core} reaches the package-private parts of
 * {@link Page} (OkHttp's {@code okhttp3.internal.Internal} pattern): the transport SPI
 * ({@link io.halley.core.transport.PageStreams}) and the channel fan-out. {@code Page} installs
 * the one implementation when its class initialises, which has happened before anyone holds a
 * page. Internal: not for applications, transports or hubs, and it may change in any release.
 */
public abstract class PageAccess {
    private static volatile PageAccess instance;

    /** Installs the implementation; called once, by {@link Page}'s static initialiser. */
    public static void install(PageAccess access) {
        if (instance != null) throw new IllegalStateException("PageAccess is installed already");
        instance = access;
    }

    /** The installed implementation. */
    public static PageAccess get() {
        PageAccess a = instance;
        if (a != null) return a;
        try { // nobody holds a page yet, so Page is not initialised: initialise it, it installs us
            Class.forName(Page.class.getName(), true, Page.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return instance;
    }

    /** See {@link io.halley.core.transport.PageStreams#attach}. */
    public abstract PageStream attach(Page page, FrameConsumer consumer);

    /** See {@link io.halley.core.transport.PageStreams#frames}. */
    public abstract FrameLog frames(Page page);

    /**
     * {@code page}'s outbox, for the channel fan-out, which appends to it directly on a fan-out
     * thread ({@link Outbox#append(byte[], boolean)}; -1 once the page died and closed it), so
     * that a delivery does not touch the page object itself: at 10,000 pages a round, each
     * object a delivery reads is a cache miss.
     */
    public abstract Outbox outbox(Page page);

    /**
     * Appends an already encoded UTF-8 command array (shared across pages, never modified) on the
     * caller's thread; returns the frame's sequence or -1 when the page died.
     */
    public abstract long flushEncoded(Page page, byte[] commandsUtf8);
}
