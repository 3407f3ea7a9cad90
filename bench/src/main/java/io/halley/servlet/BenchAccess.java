package io.halley.servlet;

import io.halley.core.transport.Frame;
import java.util.List;

/**
 * The benchmarks' window on the servlet module's package-private wire formats (the SSE and
 * forever-iframe framing and the Play-style script chunk), so that JMH measures the code the
 * servlet runs rather than a copy. Lives in the bench module only; nothing in the servlet module
 * depends on it.
 */
public final class BenchAccess {
    private BenchAccess() {
    }

    /** What the SSE transport writes for {@code frames}. */
    public static byte[] sse(List<Frame> frames) {
        return new SseFormat().frames(frames);
    }

    /** A forever-iframe format for {@code pageId} with the default padding and budget. */
    public static Object iframeFormat(String pageId) {
        return new IframeFormat(pageId, null, CometSettings.MIN_IFRAME_PADDING, 1L << 20);
    }

    /** What the iframe transport writes for {@code frames}, with a format from {@link #iframeFormat}. */
    public static byte[] iframe(Object format, List<Frame> frames) {
        return ((IframeFormat) format).frames(frames);
    }

    /** What the long-poll transport answers for {@code frames}. */
    public static byte[] poll(List<Frame> frames) {
        return new PollFormat().frames(frames);
    }
}
