package io.halley.testing;

import io.halley.core.Halley;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The one leak check of Halley's tests: after a test nothing may be left, no held request, no
 * live page, no thread whose name starts with {@code halley-} (the runtime's scheduler, fan-out
 * and comet threads, the servlet's timer...), no open {@link BrowserPage}.
 *
 * <pre>{@code
 * private final LeakCheck leaks = new LeakCheck();
 *
 * @AfterEach
 * void nothingLeaked() throws Exception {
 *     leaks.check();
 * }
 *
 * @Test
 * void ... {
 *     TestServer server = leaks.track(TestServer.jetty().start());
 *     ...
 * }
 * }</pre>
 *
 * <p>The static methods check one thing each. Every wait is bounded; a leak is an
 * {@link AssertionError} naming what is left. Instances are thread-safe.
 */
public final class LeakCheck {
    /** How long a check waits for threads or held requests to go away. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** The prefix of every thread Halley starts. */
    public static final String HALLEY_THREADS = "halley-";

    private final List<TestServer> servers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final List<String> threadPrefixes = new ArrayList<>(List.of(HALLEY_THREADS));

    /** A check of {@code halley-} threads and of {@code extraThreadPrefixes} (e.g. {@code "lettuce-"}). */
    public LeakCheck(String... extraThreadPrefixes) {
        threadPrefixes.addAll(List.of(extraThreadPrefixes));
    }

    /** Closes (and so checks) {@code server} in {@link #check()}. */
    public TestServer track(TestServer server) {
        servers.add(server);
        return server;
    }

    /** Forgets a server that the test stopped and checked itself. */
    public void untrack(TestServer server) {
        servers.remove(server);
    }

    /** Closes {@code c} in {@link #check()}, before the servers, the last tracked first. */
    public <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    /**
     * Closes what was given to {@link #closeLater} (the last first; a failure to close is a
     * failure of the check), then every tracked server (held requests must end within
     * {@link #WAIT}; then {@link TestServer#close()}: no held request, no live page), then waits until no thread of the prefixes is alive and no
     * browser is open. Forgets everything, so that the instance serves the next test. Throws
     * the first failure.
     */
    public void check() throws Exception {
        AssertionError first = null;
        List<AutoCloseable> all = new ArrayList<>(closeables);
        closeables.clear();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (Exception | AssertionError e) {
                if (first == null) first = new AssertionError("closing " + all.get(i) + ": " + e, e);
            }
        }
        List<TestServer> tracked = new ArrayList<>(servers);
        servers.clear();
        for (TestServer s : tracked) {
            try {
                try {
                    if (!s.isStopped()) awaitNoHeldRequests(s, WAIT);
                } finally {
                    s.close();
                }
            } catch (AssertionError e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
        awaitNoThreads(threadPrefixes.toArray(String[]::new));
        assertNoOpenBrowsers();
    }

    /** The names of the live threads whose name starts with {@code halley-} or one of {@code extraPrefixes}. */
    public static List<String> threads(String... extraPrefixes) {
        List<String> prefixes = Stream.concat(Stream.of(HALLEY_THREADS), Stream.of(extraPrefixes)).toList();
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && prefixes.stream().anyMatch(t.getName()::startsWith)) out.add(t.getName());
        }
        return out;
    }

    /** Waits ({@link #WAIT}) until no {@code halley-} thread (nor one of {@code extraPrefixes}) is alive. */
    public static void awaitNoThreads(String... extraPrefixes) {
        try {
            Await.until("no halley- threads left", WAIT, () -> threads(extraPrefixes).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; left: " + threads(extraPrefixes), e);
        }
    }

    /** Waits ({@code max}) until {@code server} holds no request. */
    public static void awaitNoHeldRequests(TestServer server, Duration max) {
        try {
            Await.until("held requests of " + server + " drop to 0", max, () -> server.servlet().heldConnections() == 0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (now " + server.servlet().heldConnections() + ")", e);
        }
    }

    /** Asserts that {@code server} holds no request now. */
    public static void assertNothingHeld(TestServer server) {
        int held = server.servlet().heldConnections();
        if (held != 0) throw new AssertionError(server + " holds " + held + " requests");
    }

    /** Asserts that {@code halley} has no live page now. */
    public static void assertNoLivePages(Halley halley) {
        int pages = halley.pageCount();
        if (pages != 0) throw new AssertionError(pages + " live pages left in " + halley);
    }

    /** Asserts that every {@link BrowserPage} started by {@link Chromium} was closed. */
    public static void assertNoOpenBrowsers() {
        int open = Chromium.open().size();
        if (open != 0) throw new AssertionError(open + " Chromium browsers left open");
    }
}
