/**
 * The Play stream demo ({@code /play/stream}): a {@code ScriptStream} of a ticking
 * {@code Flow.Publisher<String>} that honours demand.
 */
package io.halley.demo.play;
