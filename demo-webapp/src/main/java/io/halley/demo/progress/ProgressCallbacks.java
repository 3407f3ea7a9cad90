package io.halley.demo.progress;

import io.halley.core.CallResponse;
import io.halley.core.Callback;
import io.halley.core.HalleyException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Sijax's comet callbacks for the progress demo ({@code progress.html}), registered in bulk with
 * {@code halley.registerObject(new ProgressCallbacks(...))}: only the {@link Callback} methods are
 * exposed, under the names they give.
 *
 * <ul>
 *   <li>{@code progress.run(steps)}: counts the primes below {@code steps × }{@value #CHUNK}, one
 *   chunk per step (a segmented sieve), and after each step queues the bar's {@code css} width,
 *   the percentage {@code text} and an {@code attr} for screen readers, then {@code flush()}es:
 *   one frame per step, as Sijax's {@code yield}. After the last flush it queues one more line and
 *   returns without flushing: that line still arrives, in the same frame as the {@code done} that
 *   resolves the browser's promise with the result.</li>
 *   <li>{@code progress.fail()}: two steps, a third one queued, then a thrown
 *   {@link HalleyException}: the browser's promise is rejected with its message (the {@code fail}
 *   command), and what was flushed and queued before the throw is still delivered.</li>
 * </ul>
 *
 * <p>Each step also pauses ({@link #pause}, 250 ms by default) so that a person can watch the
 * bar move; the sieve alone takes a millisecond. Stateless apart from its settings; the methods
 * run on Halley's executor, one thread per call.
 */
public final class ProgressCallbacks {
    static final int MAX_STEPS = 20;
    static final int CHUNK = 100_000;

    private final Duration pause;

    /** With {@code pause} between steps. */
    public ProgressCallbacks(Duration pause) {
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    /**
     * Counts primes in {@code steps} steps, one frame per step; the result is the promise's value:
     * {@code {"steps", "below", "primes", "millis"}}.
     *
     * @throws HalleyException BAD_INPUT (a {@code fail} for the browser) for steps outside 1–20
     */
    @Callback("progress.run")
    public Map<String, Object> run(CallResponse r, int steps) throws InterruptedException {
        if (steps < 1 || steps > MAX_STEPS) {
            throw new HalleyException(HalleyException.Kind.BAD_INPUT, "steps must be 1 to " + MAX_STEPS + ", not " + steps);
        }
        long started = System.nanoTime();
        int primes = 0;
        for (int i = 1; i <= steps; i++) {
            primes += countPrimes((long) (i - 1) * CHUNK, (long) i * CHUNK);
            Thread.sleep(pause.toMillis());
            bar(r, i * 100 / steps);
            r.text("#step", String.format(Locale.ENGLISH, "Step %d of %d: %,d primes below %,d", i, steps, primes, i * CHUNK))
                    .flush(); // one frame now: Sijax's yield
        }
        // Queued after the last flush and never flushed here: delivered with the final `done`.
        r.text("#after", "This line was queued after the last flush() and still arrived, with the result.")
                .attr("#bar", "class", "bar-fill done");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("steps", steps);
        result.put("below", steps * CHUNK);
        result.put("primes", primes);
        result.put("millis", (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    /**
     * Two steps, a third one queued, then a failure: the browser's promise is rejected with this
     * method's message.
     */
    @Callback("progress.fail")
    public void fail(CallResponse r) throws InterruptedException {
        for (int i = 1; i <= 2; i++) {
            Thread.sleep(pause.toMillis());
            bar(r, i * 20);
            r.text("#step", "Step " + i + " of 5: copying").flush();
        }
        Thread.sleep(pause.toMillis());
        r.text("#step", "Step 3 of 5: writing (queued before the throw, still delivered)");
        throw new HalleyException(HalleyException.Kind.LIMIT, "the disk is full (a simulated failure at step 3 of 5)");
    }

    private static void bar(CallResponse r, int percent) {
        r.css("#bar", "width", percent + "%")
                .text("#pct", percent + "%")
                .attr("#progress", "aria-valuenow", Integer.toString(percent));
    }

    /** The primes in [{@code from}, {@code to}): a sieve of that segment by the primes up to √to. */
    static int countPrimes(long from, long to) {
        int limit = (int) Math.sqrt((double) to) + 1;
        boolean[] small = new boolean[limit + 1]; // true = composite
        boolean[] segment = new boolean[(int) (to - from)];
        for (int p = 2; p <= limit; p++) {
            if (small[p]) continue;
            for (long m = (long) p * p; m <= limit; m += p) small[(int) m] = true;
            long start = Math.max((long) p * p, (from + p - 1) / p * p);
            for (long m = start; m < to; m += p) segment[(int) (m - from)] = true;
        }
        int count = 0;
        for (long n = Math.max(2, from); n < to; n++) {
            if (!segment[(int) (n - from)]) count++;
        }
        return count;
    }
}
