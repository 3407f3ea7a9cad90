package io.halley.core.internal;

import io.halley.core.transport.Frame;
import java.util.ArrayList;

/**
 * The replay buffer's storage: the command arrays of consecutive frames, oldest first, in chunks
 * of {@link #CHUNK} references. A frame costs one reference here (its sequence is implied by its
 * position), so a channel message reaching 10,000 pages adds 10,000 array slots and no object;
 * {@link Frame}s are made only when a transport reads. Chunks are allocated as frames arrive and
 * dropped as they are evicted, so no large array is ever copied to grow (such copies, for every
 * page at once, made long young-generation pauses) and an empty buffer holds nothing.
 *
 * <p>Not thread-safe: the owning {@link Outbox} guards it.
 */
final class FrameRing {
    static final int CHUNK = 64;

    private ArrayList<byte[][]> chunks; // null while empty
    private byte[][] tail;              // the last chunk: an append touches this ring and it, not the list
    private int head;                   // index of the oldest frame in chunks[0]
    private int tailFill;               // slots used in the last chunk
    private int size;

    int size() {
        return size;
    }

    void addLast(byte[] commands) {
        if (tail == null || tailFill == CHUNK) {
            if (chunks == null) chunks = new ArrayList<>(2);
            tail = new byte[CHUNK][];
            chunks.add(tail);
            tailFill = 0;
        }
        tail[tailFill++] = commands;
        size++;
    }

    /** Removes and returns the oldest frame's commands. */
    byte[] removeFirst() {
        if (size == 0) throw new IllegalStateException("empty");
        byte[][] first = chunks.get(0);
        byte[] out = first[head];
        first[head++] = null;
        size--;
        if (size == 0) {
            chunks = null;
            tail = null;
            head = 0;
            tailFill = 0;
        } else if (head == CHUNK) {
            chunks.remove(0);
            head = 0;
        }
        return out;
    }

    /** The commands of the {@code i}-th frame, 0 being the oldest. */
    byte[] get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " of " + size);
        int at = head + i;
        return chunks.get(at / CHUNK)[at % CHUNK];
    }
}
