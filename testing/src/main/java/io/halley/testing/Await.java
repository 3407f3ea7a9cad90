package io.halley.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The one bounded wait of Halley's tests: polls a condition until it holds or the time is up.
 *
 * <pre>{@code
 * Await.until("the page is gone", Duration.ofSeconds(5), () -> halley.pageCount() == 0);
 * }</pre>
 *
 * <p>Runs on the calling thread and blocks it, polling every 10 ms. Thread-safe (no state).
 * {@link #threadDump()} is what a wait that ran out may print to show where an in-process server
 * is stuck.
 */
public final class Await {
    /** The bound of {@link #until(String, BooleanSupplier)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} is true; throws an {@link AssertionError} naming
     * {@code what} when it is still false after {@code timeout}, or when the thread is interrupted
     * (the interrupt flag is kept). An exception from {@code condition} propagates at once.
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                if (condition.getAsBoolean()) return; // one last look after the deadline
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }

    /** {@link #until(String, Duration, BooleanSupplier)} for {@link #DEFAULT_TIMEOUT}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_TIMEOUT, condition);
    }

    /**
     * Every thread of this JVM with its stack and the locks it holds or waits for, as text: what a
     * test prints when a bounded wait ran out, so that a server stuck in-process (the kit's servers
     * run in the test's JVM) shows where. Never blocks on the threads it lists.
     */
    public static String threadDump() {
        StringBuilder b = new StringBuilder("thread dump:\n");
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            b.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
            if (t.getLockName() != null) b.append(" on ").append(t.getLockName());
            if (t.getLockOwnerName() != null) b.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            b.append('\n');
            for (StackTraceElement e : t.getStackTrace()) b.append("\tat ").append(e).append('\n');
            for (var m : t.getLockedMonitors()) b.append("\t- locked ").append(m).append(" at ").append(m.getLockedStackFrame()).append('\n');
            b.append('\n');
        }
        return b.toString();
    }

    /** Sleeps {@code millis} ms; an interrupt becomes an {@link AssertionError} (flag kept). */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
