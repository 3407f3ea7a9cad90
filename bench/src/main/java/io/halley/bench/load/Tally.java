package io.halley.bench.load;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** The receivers of one scenario run, their totals and (while recording) their latency histogram in µs. */
public final class Tally {
    private final List<Receiver> receivers = new CopyOnWriteArrayList<>();
    private volatile long firstExpected;
    private volatile Recorder latencies;

    Receiver newReceiver() {
        Receiver r = new Receiver(this);
        receivers.add(r);
        return r;
    }

    public List<Receiver> receivers() {
        return receivers;
    }

    /** From now on every receiver must see every message from {@code bn} on. */
    public void expectFrom(long bn) {
        firstExpected = bn;
    }

    long firstExpected() {
        return firstExpected;
    }

    /** Starts recording publish-to-receive latencies (µs, up to 1 h). */
    public void startLatencies() {
        latencies = new Recorder(3_600_000_000L, 3);
    }

    Recorder latencies() {
        return latencies;
    }

    /** Stops recording and returns what was recorded. */
    public Histogram stopLatencies() {
        Recorder r = latencies;
        latencies = null;
        return r == null ? new Histogram(3) : r.getIntervalHistogram();
    }

    public long minReceived() {
        long min = Long.MAX_VALUE;
        for (Receiver r : receivers) min = Math.min(min, r.received());
        return receivers.isEmpty() ? 0 : min;
    }

    public long totalReceived() {
        long sum = 0;
        for (Receiver r : receivers) sum += r.received();
        return sum;
    }

    long lost() {
        long sum = 0;
        for (Receiver r : receivers) sum += r.lost;
        return sum;
    }

    public long duplicates() {
        long sum = 0;
        for (Receiver r : receivers) sum += r.duplicates;
        return sum;
    }

    public long resyncs() {
        long sum = 0;
        for (Receiver r : receivers) sum += r.resyncs;
        return sum;
    }

    public long failed() {
        long n = 0;
        for (Receiver r : receivers) if (r.failed) n++;
        return n;
    }

    /** One failure reason, for the log. */
    public String firstFailure() {
        for (Receiver r : receivers) if (r.failed) return r.failure;
        return null;
    }
}
