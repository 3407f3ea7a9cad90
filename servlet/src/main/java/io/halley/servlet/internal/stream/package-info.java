/**
 * The page transports held open with {@code AsyncContext}: {@code GET /sse}, {@code /iframe} and
 * {@code /poll} ({@link io.halley.servlet.internal.stream.StreamEndpoint}), each a
 * {@link io.halley.servlet.internal.stream.HeldStream} written by its
 * {@link io.halley.servlet.internal.HeldWriter} in the steps its
 * {@link io.halley.servlet.internal.stream.StreamPlan} orders and the bytes of its
 * {@link io.halley.servlet.internal.stream.FrameFormat}; the registry of every held request
 * ({@link io.halley.servlet.internal.stream.Connections}) that bounds them, sends heartbeats and
 * ends them on shutdown; the connection budget of each browser
 * ({@link io.halley.servlet.internal.stream.BrowserBudget}); the one stream a browser's tabs share
 * ({@link io.halley.servlet.internal.stream.SharedStream}, {@code GET /shared}, {@code POST /join}
 * , {@code /leave} and {@code /here} in {@link io.halley.servlet.internal.stream.SharedStreams}).
 *
 * <p>Not API: public only for the servlet module's own packages; may change in any release.
 */
package io.halley.servlet.internal.stream;
