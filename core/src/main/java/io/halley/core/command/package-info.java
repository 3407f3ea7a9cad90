/**
 * The commands the server pushes to a browser page (update, append, attr, call, message, reply …),
 * for application authors. {@link io.halley.core.command.Commands} is the fluent way to queue them,
 * shared by {@link io.halley.core.comet.Comet}, {@link io.halley.core.PageWriter} and
 * {@link io.halley.core.CallResponse}; {@link io.halley.core.command.Command} is the sealed set of
 * records, as they go on the wire ({@code {"op":"update","selector":"#a","html":"x"}}).
 *
 * <pre>{@code
 * page.writer()
 *     .update("#status", "<b>saved</b>")
 *     .attr("#save", "disabled", "disabled")
 *     .call("app.saved", id)
 *     .flush();                                     // one frame, one write to the browser
 * }</pre>
 *
 * <p>Public types: {@link io.halley.core.command.Command} (and its records),
 * {@link io.halley.core.command.Commands} and {@link io.halley.core.command.AttrMode}. The JSON
 * encoder is in {@code io.halley.core.internal}.
 */
package io.halley.core.command;
