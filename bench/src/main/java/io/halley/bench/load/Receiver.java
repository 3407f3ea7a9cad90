package io.halley.bench.load;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.HdrHistogram.Recorder;

/**
 * The accounting of one client connection: which bench messages it got, in order. Messages of one
 * channel are numbered 1, 2, 3 … by the server and every subscriber must see each of them once,
 * in order: a number past the next expected one counts the skipped ones as lost, a number below
 * it is a duplicate. A Halley {@code resync} command (the server dropped frames it could not
 * replay) also counts as a loss. Written by one thread at a time (the connection's selector
 * thread or CometD's listener); {@link #received()} may be read by any thread.
 */
public final class Receiver {
    private static final VarHandle RECEIVED;

    static {
        try {
            RECEIVED = MethodHandles.lookup().findVarHandle(Receiver.class, "received", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Tally tally;
    private long expected;        // next bn expected; 0 = take the first one seen
    @SuppressWarnings("unused")   // through RECEIVED
    private long received;
    volatile long lost;
    volatile long duplicates;
    volatile long resyncs;
    volatile boolean failed;
    volatile String failure;

    Receiver(Tally tally) {
        this.tally = tally;
    }

    /** One bench message {@code bn}, published at {@code sentNanos}, arrived now. */
    void message(long bn, long sentNanos) {
        long now = System.nanoTime();
        long exp = expected;
        if (exp == 0) exp = tally.firstExpected();
        if (exp == 0 || bn == exp) {
            expected = bn + 1;
        } else if (bn > exp) {
            lost += bn - exp;
            expected = bn + 1;
        } else {
            duplicates++;
            return;
        }
        RECEIVED.setRelease(this, (long) RECEIVED.getOpaque(this) + 1);
        Recorder r = tally.latencies();
        if (r != null) r.recordValue(Math.max(0, (now - sentNanos) / 1000));
    }

    void resync() {
        resyncs++;
    }

    void fail(String why) {
        if (!failed) {
            failure = why;
            failed = true;
        }
    }

    /** Messages accepted so far (in order, no duplicates). */
    public long received() {
        return (long) RECEIVED.getAcquire(this);
    }

    /** The next message number this receiver waits for (0 before the first). */
    long expected() {
        return expected;
    }
}
