package io.halley.bench;

import java.time.Duration;

/**
 * The sizes and durations of one suite mode, its default number of recorded trials per scenario
 * and server, and how long each server is warmed up (unrecorded fan-outs) before its first
 * recorded trial.
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
        int transportSubscribers,
        Duration transportMeasure,
        boolean jmhQuick,
        int trials,
        Duration serverWarmup) {

    /** 1,000 connections everywhere, short windows, 3 trials by default ({@code --trials=5} for the full run's count). */
    static Plan quick() {
        return new Plan("quick", new int[] {1000}, Duration.ofSeconds(5), new int[] {1000}, Duration.ofSeconds(2),
                Duration.ofSeconds(3), 200, 50, 100, 1000, 10, Duration.ofSeconds(5), 1000, Duration.ofSeconds(2), true, 3, Duration.ofSeconds(20));
    }

    /** The sizes: 1k/5k/10k/15k idle, 1k and 10k fan-out, 10k × 10/s latency for 30 s. */
    static Plan full() {
        return new Plan("full", new int[] {1000, 5000, 10000, 15000}, Duration.ofSeconds(10), new int[] {1000, 10000},
                Duration.ofSeconds(5), Duration.ofSeconds(10), 200, 50, 100, 10000, 10, Duration.ofSeconds(30), 1000,
                Duration.ofSeconds(5), false, 5, Duration.ofSeconds(30));
    }

    /** A tiny plan for the smoke test. */
    static Plan smoke(int clients) {
        return new Plan("smoke", new int[] {clients}, Duration.ofMillis(500), new int[] {clients}, Duration.ofMillis(300),
                Duration.ofSeconds(2), 100, 25, 100, clients, 10, Duration.ofSeconds(1), clients, Duration.ofSeconds(1), true, 2, Duration.ZERO);
    }
}
