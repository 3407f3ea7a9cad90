/**
 * The page transports held open with {@code AsyncContext}: {@code GET /sse}, {@code /iframe} and
 * {@code /poll} ({@link io.halley.servlet.internal.stream.StreamEndpoint}), each a
 * {@link io.halley.servlet.internal.stream.HeldStream} written with non-blocking I/O in its
 * {@link io.halley.servlet.internal.stream.FrameFormat}; the registry of every held request
 * ({@link io.halley.servlet.internal.stream.Connections}) that bounds them, sends heartbeats and
 * ends them on shutdown.
 *
 * <p>Not API: public only for the servlet module's own packages; may change in any release.
 */
package io.halley.servlet.internal.stream;
