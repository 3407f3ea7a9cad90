package io.halley.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread of a load generator ({@link NioClients}, {@link WsClients}): connections are
 * handed to it from any thread and from then on live on it alone, sharing its 64 KB read buffer.
 * Closing the loop closes every connection it ran (abruptly, see {@link Conn#closeQuietly()}).
 */
final class SelectorLoop implements Runnable {
    /** A non-blocking connection driven by a loop; every method runs on the loop's thread. */
    interface Conn {
        /** Opens the socket and registers with {@code selector}. */
        void start(Selector selector);

        /** OP_CONNECT fired. */
        void connected(SelectionKey k) throws IOException;

        /** OP_READ fired; {@code buffer} is the loop's, to be used within this call only. */
        void read(ByteBuffer buffer) throws IOException;

        /** OP_WRITE fired. */
        void flushOut(SelectionKey k) throws IOException;

        /** The connection failed: counted, closed. */
        void fail(String why);

        /** Closes without counting a failure (RST, so no TIME_WAIT piles up between scenarios). */
        void closeQuietly();
    }

    final Thread thread;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Conn> incoming = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final List<Conn> mine = new ArrayList<>();
    private volatile boolean closed;

    SelectorLoop(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void add(Conn c) {
        incoming.add(c);
        selector.wakeup();
    }

    /** Stops the loop; it closes its connections on its way out (join {@link #thread} to wait). */
    void close() {
        closed = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                selector.select(50);
                Conn c;
                while ((c = incoming.poll()) != null) {
                    mine.add(c);
                    c.start(selector);
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    Conn conn = (Conn) k.attachment();
                    try {
                        if (!k.isValid()) continue;
                        if (k.isConnectable()) conn.connected(k);
                        if (k.isValid() && k.isReadable()) conn.read(buffer);
                        if (k.isValid() && k.isWritable()) conn.flushOut(k);
                    } catch (IOException | RuntimeException e) {
                        conn.fail(String.valueOf(e));
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            System.err.println("client loop failed: " + e);
        } finally {
            for (Conn c : mine) c.closeQuietly();
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Stops every loop and waits (5 s each at most) for it to end. */
    static void closeAll(SelectorLoop[] loops) {
        for (SelectorLoop l : loops) l.close();
        for (SelectorLoop l : loops) {
            try {
                l.thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
