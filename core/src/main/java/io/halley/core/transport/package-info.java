/**
 * The transport SPI: what a transport (the servlet module's SSE, iframe and long-poll streams, or
 * a new one) needs to carry a page's frames to its browser. Application code does not use it.
 *
 * <p>A transport attaches a {@link io.halley.core.transport.FrameConsumer} to a page with
 * {@link io.halley.core.transport.PageStreams#attach}, gets a
 * {@link io.halley.core.transport.PageStream}, and on each wake-up writes the
 * {@link io.halley.core.transport.Frame}s after the last sequence it delivered
 * ({@link io.halley.core.transport.Replay}); a browser reconnecting with its last sequence resumes
 * there, or is told to resync. These calls are not methods of {@code Page}: they reach its
 * package-private attach through the {@code io.halley.core.internal.PageAccess} hook that
 * {@code Page} installs (OkHttp's {@code okhttp3.internal.Internal} pattern), so the application
 * API stays free of them.
 *
 * <pre>{@code
 * final class MyStream implements FrameConsumer {
 *     private PageStream stream;
 *     private long lastSent;                        // from the browser's reconnect, else 0
 *
 *     void open(Page page) { stream = PageStreams.attach(page, this); }   // renews the lease
 *
 *     public void framesAvailable() {               // never block here: schedule a write
 *         for (Frame f : stream.since(lastSent).frames()) { write(f.toJson()); lastSent = f.seq(); }
 *     }
 *     public void detached(boolean replaced) { close(); }    // another tab's stream, or the page died
 *     void closedByClient() { stream.detach(); }              // the page's lease starts
 * }
 * }</pre>
 *
 * <p>Public types: {@link io.halley.core.transport.Frame}, {@link io.halley.core.transport.Replay},
 * {@link io.halley.core.transport.FrameConsumer}, {@link io.halley.core.transport.FrameLog},
 * {@link io.halley.core.transport.PageStream} and {@link io.halley.core.transport.PageStreams}.
 * The outbox behind them is {@code io.halley.core.internal.Outbox}.
 */
package io.halley.core.transport;
