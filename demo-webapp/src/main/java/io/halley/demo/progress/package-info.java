/**
 * The progress demo (Sijax's streamed callbacks): {@code progress.run} and {@code progress.fail},
 * registered with {@code registerObject}, flush one frame per step.
 */
package io.halley.demo.progress;
