package io.halley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --pin}: the servers on one core, the load generator on another, with {@code taskset}
 * (util-linux). The servers start under {@code taskset -c SERVER_CORE}; this JVM pins every one of
 * its threads with {@code taskset -a -p -c LOAD_CORE <pid>} before it opens a client, and threads
 * started later inherit the mask of the thread that starts them.
 */
final class Pinning {
    static final int SERVER_CORE = 1;
    static final int LOAD_CORE = 0;

    private Pinning() {
    }

    /** The prefix for a server's command line. */
    static List<String> launcher(int core) {
        return List.of("taskset", "-c", Integer.toString(core));
    }

    /**
     * Pins every thread of this process to {@code core}; blocks for the {@code taskset} call (10 s at most).
     *
     * @return null when pinned, else why not (fewer than two cores, no taskset, taskset failed)
     */
    static String pinThisProcess(int core) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2) return "needs two cores, this machine has " + cpus;
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(core),
                    Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "taskset did not answer within 10 s";
            }
            return p.exitValue() == 0 ? null : "taskset failed (" + p.exitValue() + "): " + out;
        } catch (IOException e) {
            return "taskset (util-linux) is not installed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
