package io.halley.bench.load;

import java.time.Duration;

/** A population of client connections to one server, all subscribed to the bench channel. */
public interface Clients extends AutoCloseable {

    /**
     * Opens {@code n} more connections, a bounded number at a time, and returns when each is
     * subscribed and streaming or has failed, or when {@code timeout} passed.
     *
     * @return how many of them are up
     */
    int open(int n, Duration timeout) throws InterruptedException;

    /** The accounting of every connection opened so far. */
    Tally tally();

    /** Connections up (not failed, not closed). */
    int up();

    /** Closes every connection (abruptly: RST, so no TIME_WAIT piles up between scenarios). */
    @Override
    void close();
}
