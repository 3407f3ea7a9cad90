package io.halley.core.transport;

import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.core.internal.PageAccess;

/**
 * How a transport reaches a page's frames. These operations are deliberately not methods of
 * {@link Page}: application code pushes with {@code Page.flush}/{@code Page.writer()} and never
 * needs to attach; transports (the servlet module's SSE, iframe and long-poll streams) and tests
 * that inspect what a page buffered call these.
 *
 * <p>The calls go through {@link PageAccess}, a hook the core package installs (OkHttp's
 * {@code okhttp3.internal.Internal} pattern), so that {@code Page} keeps its attach and log
 * package-private. Thread-safe.
 */
public final class PageStreams {
    private PageStreams() {
    }

    /**
     * Attaches {@code consumer} to {@code page}: renews the page's lease (stops its timer) and
     * replaces any previous transport, which gets {@code detached(true)} on this thread. Never
     * blocks on the network.
     *
     * @return the attachment, to read frames from and to {@link PageStream#detach()} when done
     * @throws HalleyException GONE if the page died
     */
    public static PageStream attach(Page page, FrameConsumer consumer) {
        return PageAccess.get().attach(page, consumer);
    }

    /**
     * {@code page}'s frames, read without attaching (so without touching its lease or its current
     * transport): for tests, benchmarks and monitoring.
     */
    public static FrameLog frames(Page page) {
        return PageAccess.get().frames(page);
    }
}
