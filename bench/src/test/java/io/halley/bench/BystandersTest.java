package io.halley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.bench.server.ServerHandle;
import io.halley.bench.server.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The suite's isolation of a trial: the other servers' processes are stopped for it and continued
 * after it; the server under trial and this JVM never are. Real processes ({@code sleep}), their
 * state read from {@code /proc/<pid>/stat} (Linux).
 */
class BystandersTest {

    @Test
    @Timeout(30)
    void theOtherServersAreStoppedForTheTrialAndContinuedAfterIt() throws Exception {
        List<Process> started = new ArrayList<>();
        try {
            Process a = start(started), b = start(started), c = start(started);
            ServerHandle underTrial = new Sleeper("under-trial", List.of(a.pid()));
            ServerHandle other = new Sleeper("other", List.of(b.pid()));
            ServerHandle cluster = new Sleeper("cluster", List.of(c.pid(), ProcessHandle.current().pid()));
            List<String> log = new ArrayList<>();
            try (Bystanders stood = Bystanders.stop(List.of(underTrial, other, cluster), underTrial, log::add)) {
                assertEquals('T', state(b.pid()), "another server is stopped during the trial");
                assertEquals('T', state(c.pid()), "a cluster's processes are stopped during the trial");
                assertTrue(state(a.pid()) != 'T', "the server under trial runs");
            }
            assertTrue(state(b.pid()) != 'T' && state(c.pid()) != 'T', "continued after the trial: " + state(b.pid()) + state(c.pid()));
            assertEquals(List.of(), log, "this JVM (in the cluster's pids) was not signalled, nothing failed");
        } finally {
            for (Process p : started) p.destroyForcibly();
        }
    }

    private static Process start(List<Process> started) throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        started.add(p);
        return p;
    }

    /** The state letter of {@code /proc/<pid>/stat}: R, S, T (stopped), … */
    private static char state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private record Sleeper(String name, List<Long> pids) implements ServerHandle {
        @Override
        public int port() {
            return 0;
        }

        @Override
        public long pid() {
            return pids.get(0);
        }

        @Override
        public long publish(int n, int size, long due) {
            throw new UnsupportedOperationException("not a server");
        }

        @Override
        public Stats stats(boolean gc) {
            throw new UnsupportedOperationException("not a server");
        }

        @Override
        public void close() {
        }
    }
}
