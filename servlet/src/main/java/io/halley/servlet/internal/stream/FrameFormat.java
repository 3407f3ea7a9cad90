package io.halley.servlet.internal.stream;

import io.halley.core.transport.Frame;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;

/**
 * How one transport puts frames on the wire (SSE, forever-iframe, long-poll). A
 * {@link HeldStream} asks it for bytes and writes them; the format itself does no I/O. An instance
 * holds no mutable state: the stateless SSE and poll formats are shared by every stream, an
 * iframe format (which carries its page id and nonce) belongs to one.
 */
public interface FrameFormat {

    /** The transport's name for logs: {@code sse}, {@code iframe} or {@code poll}. */
    String name();

    /** Sets the status and headers before anything is written. */
    void prepare(HttpServletResponse response);

    /** Bytes to write first (preamble, padding, first heartbeat); empty for none. */
    byte[] open();

    /** {@code frames} (non-empty, in order) encoded as one write. */
    byte[] frames(List<Frame> frames);

    /** One heartbeat, or null if the transport has none. */
    byte[] heartbeat();

    /**
     * The fewest bytes the transport's reader ignores (an SSE comment line, whitespace between
     * iframe scripts), written to an idle stream so that a peer that reset the connection is
     * noticed at once (the write fails); null when the transport cannot take any (a long-poll,
     * whose body is one JSON document and whose status may still change).
     */
    byte[] probe();

    /**
     * The whole body of the answer to a stream request past its browser's connection budget
     * ({@link BrowserBudget}): the format's opening and an advice to poll every
     * {@code pollMillis} ms instead, which halley.js follows; null for a single-shot format (a
     * long-poll), which answers such a request at once with its frames and the advice instead.
     */
    byte[] advice(long pollMillis);

    /** Whether the stream ends after its first frames (long-poll). */
    boolean singleShot();

    /** Bytes written to this stream after which it ends with {@link HeldStream.End#ROTATED}. */
    long budget();

    /**
     * The last bytes before the response completes, for the given end; empty for none. May set
     * the status when nothing was written yet ({@code answered} false).
     *
     * @param answered whether frames were written on this stream
     */
    byte[] end(HeldStream.End end, boolean answered, HttpServletResponse response);
}
