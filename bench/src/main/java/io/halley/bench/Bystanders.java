package io.halley.bench;

import io.halley.bench.scenario.Scenarios;
import io.halley.bench.server.ServerHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The servers that stand by while a trial runs on another: stopped ({@code SIGSTOP}) for the
 * trial and continued ({@code SIGCONT}) after it, so that a trial's figures do not depend on
 * which other servers the run started. An idle JVM is not idle: its JIT compiles what the
 * warm-up left queued, its GC and timer threads wake, its heap is touched; on two cores that is
 * a share of a core taken from the server under trial or its load generator.
 *
 * <p>Signals go through {@code kill} (procps), the JVM having no way to send them. This JVM's own
 * pid is never stopped (an in-process server). A stopped process keeps its sockets; nothing is
 * sent to it while it is stopped, and the suite talks to a server only during its own trials.
 * {@link #close} continues every process it stopped, then waits {@link #SETTLE_MILLIS} so that
 * what they do on waking (timers that came due) is not counted in the next trial. A suite that is
 * interrupted (Ctrl-C, {@code kill}) continues them from a shutdown hook, so that no server is left
 * stopped. Used by the suite's thread only.
 */
final class Bystanders implements AutoCloseable {
    static final long SETTLE_MILLIS = 1000;
    /** What is stopped now, for the shutdown hook; guarded by itself. */
    private static final List<Long> STOPPED_NOW = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (STOPPED_NOW) {
                for (long pid : STOPPED_NOW) signal("CONT", pid);
            }
        }, "bystanders-continue"));
    }
    private final List<Long> stopped;
    private final Scenarios.Log log;

    private Bystanders(List<Long> stopped, Scenarios.Log log) {
        this.stopped = stopped;
        this.log = log;
    }

    /**
     * Stops every process of {@code everyone} except {@code underTrial}'s and this JVM; blocks for
     * the {@code kill} calls (10 s at most each). A process that cannot be stopped is logged and
     * left running; the trial goes on.
     */
    static Bystanders stop(List<? extends ServerHandle> everyone, ServerHandle underTrial, Scenarios.Log log) {
        long self = ProcessHandle.current().pid();
        List<Long> keep = underTrial.pids();
        List<Long> targets = new ArrayList<>();
        for (ServerHandle s : everyone) {
            for (long pid : s.pids()) {
                if (pid != self && !keep.contains(pid) && !targets.contains(pid)) targets.add(pid);
            }
        }
        List<Long> stopped = new ArrayList<>();
        for (long pid : targets) {
            String why = signal("STOP", pid);
            if (why == null) {
                stopped.add(pid);
                synchronized (STOPPED_NOW) {
                    STOPPED_NOW.add(pid);
                }
            } else {
                log.line("could not stop bystander " + pid + " for the trial: " + why);
            }
        }
        return new Bystanders(stopped, log);
    }

    /** A stand-in that stops nothing ({@code --no-isolate}). */
    static Bystanders none() {
        return new Bystanders(List.of(), line -> { });
    }

    /** Continues what {@link #stop} stopped (in {@link ServerHandle#pids} order), then settles. */
    @Override
    public void close() {
        if (stopped.isEmpty()) return;
        for (long pid : stopped) {
            String why = signal("CONT", pid);
            if (why != null) log.line("could not continue bystander " + pid + ": " + why);
            synchronized (STOPPED_NOW) {
                STOPPED_NOW.remove(Long.valueOf(pid));
            }
        }
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends {@code SIG<name>} to {@code pid}; null when sent, else why not. */
    private static String signal(String name, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "kill did not return within 10 s";
            }
            return p.exitValue() == 0 ? null : "kill -" + name + " failed (" + p.exitValue() + "): " + out;
        } catch (IOException e) {
            return "no kill command: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
