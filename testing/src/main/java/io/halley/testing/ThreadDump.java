package io.halley.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * Every thread of this JVM with its stack and the locks it holds or waits for, as text: what a
 * test prints when a bounded wait ran out, so that a server stuck in-process (the kit's servers
 * run in the test's JVM) shows where. Callable from any thread; never blocks on the threads it lists.
 */
public final class ThreadDump {
    private ThreadDump() {
    }

    /** The dump, one {@link ThreadInfo} after another (stacks of any depth). */
    public static String now() {
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
}
