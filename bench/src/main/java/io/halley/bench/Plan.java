package io.halley.bench;

import java.time.Duration;

/**
 * The sizes and durations of one suite mode, its default number of recorded trials per scenario
 * and server, and how long each server is warmed up (unrecorded fan-outs) before its first
 * recorded trial. {@code latencySettle}: how long the latency scenario broadcasts at its rate,
 * unrecorded, after its subscribers connected and before it records, so that the young
 * collections that copy what the connections allocated (hundreds of ms on one core, in every
 * server) come before the recorded window rather than inside it. {@code latencySustainedRate}: a
 * second latency window on the same connections at a rate every server sustains on this machine
 * (at 10/s × 10,000 on one core the limit's synchronous publish falls behind), 0 for none.
 */
public record Plan(
        String name,
        int[] idleLevels,
        Duration cpuWindow,
        int[] fanOut,
        Duration warmup,
        Duration measure,
        int window,
        int batch,
        int size,
        int latencySubscribers,
        int latencyRate,
        Duration latencyDuration,
        Duration latencySettle,
        int latencySustainedRate,
        int transportSubscribers,
        Duration transportMeasure,
        boolean jmhQuick,
        int trials,
        Duration serverWarmup) {

    /** 1,000 connections everywhere, short windows, 3 trials by default ({@code --trials=5} for the full run's count). */
    static Plan quick() {
        return new Plan("quick", new int[] {1000}, Duration.ofSeconds(5), new int[] {1000}, Duration.ofSeconds(2),
                Duration.ofSeconds(3), 200, 50, 100, 1000, 10, Duration.ofSeconds(5), Duration.ofSeconds(3), 2, 1000, Duration.ofSeconds(2), true, 3, Duration.ofSeconds(20));
    }

    /** The sizes: 1k/5k/10k/15k idle, 1k and 10k fan-out, 10k × 10/s latency for 30 s. */
    static Plan full() {
        return new Plan("full", new int[] {1000, 5000, 10000, 15000}, Duration.ofSeconds(10), new int[] {1000, 10000},
                Duration.ofSeconds(5), Duration.ofSeconds(10), 200, 50, 100, 10000, 10, Duration.ofSeconds(30), Duration.ofSeconds(20), 2, 1000,
                Duration.ofSeconds(5), false, 5, Duration.ofSeconds(30));
    }

    /** A tiny plan for the smoke test. */
    static Plan smoke(int clients) {
        return new Plan("smoke", new int[] {clients}, Duration.ofMillis(500), new int[] {clients}, Duration.ofMillis(300),
                Duration.ofSeconds(2), 100, 25, 100, clients, 10, Duration.ofSeconds(1), Duration.ofSeconds(1), 2, clients, Duration.ofSeconds(1), true, 2, Duration.ZERO);
    }
}
