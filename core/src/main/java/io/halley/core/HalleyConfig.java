package io.halley.core;

import java.time.Duration;

/**
 * The immutable settings of a {@link Halley} runtime, built with {@link Halley#builder()}. The
 * defaults are those documented on each builder method and in the README.
 *
 * @param pageLease           a page with no attached transport for this long dies (20 s)
 * @param goneMemory          how long a dead page's id is remembered to answer 410 rather than 404 (10 min)
 * @param replayFrames        frames kept per page for resume (1,000)
 * @param replayBytes         bytes of frames (UTF-8) kept per page for resume (1 MiB); also the largest frame
 * @param maxPagesPerSession  open pages per HTTP session (100); past it, LIMIT (429)
 * @param maxFunctionsPerPage running comet functions per page (64); past it, LIMIT
 * @param maxCometThreads     platform threads for functions, callbacks and actions (2,000; PLATFORM mode only)
 * @param executor            which threads run functions ({@link ExecutorMode#AUTO})
 * @param mailboxCapacity     pool messages waiting per function (100,000); past it, new messages to that
 *                            member are dropped with a warning
 * @param channelHistory      messages kept per channel for catch-up (100)
 * @param maxChannelsPerPage  channel subscriptions per page (256); past it, LIMIT
 * @param maxMessageBytes     largest channel message or action parameters, as JSON characters (64 KiB); past it, TOO_LARGE
 * @param fanOutThreads       threads delivering channel messages to pages (the number of cores)
 * @param nodeId              this node's id in a distributed system (random)
 */
public record HalleyConfig(
        Duration pageLease,
        Duration goneMemory,
        int replayFrames,
        long replayBytes,
        int maxPagesPerSession,
        int maxFunctionsPerPage,
        int maxCometThreads,
        ExecutorMode executor,
        int mailboxCapacity,
        int channelHistory,
        int maxChannelsPerPage,
        int maxMessageBytes,
        int fanOutThreads,
        String nodeId) {

    public HalleyConfig {
        positive(pageLease, "pageLease");
        positive(goneMemory, "goneMemory");
        atLeast(replayFrames, 1, "replayFrames");
        if (replayBytes < 1024) throw new IllegalArgumentException("replayBytes must be >= 1024: " + replayBytes);
        atLeast(maxPagesPerSession, 1, "maxPagesPerSession");
        atLeast(maxFunctionsPerPage, 1, "maxFunctionsPerPage");
        atLeast(maxCometThreads, 1, "maxCometThreads");
        if (executor == null) throw new IllegalArgumentException("executor must not be null");
        atLeast(mailboxCapacity, 1, "mailboxCapacity");
        atLeast(channelHistory, 0, "channelHistory");
        atLeast(maxChannelsPerPage, 1, "maxChannelsPerPage");
        atLeast(maxMessageBytes, 16, "maxMessageBytes");
        atLeast(fanOutThreads, 1, "fanOutThreads");
        if (nodeId == null || nodeId.isBlank()) throw new IllegalArgumentException("nodeId must not be blank");
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration: " + d);
        }
    }

    private static void atLeast(long v, long min, String name) {
        if (v < min) throw new IllegalArgumentException(name + " must be >= " + min + ": " + v);
    }
}
