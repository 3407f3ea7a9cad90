/**
 * The Halley demo web app: Nitrogen's clock and chat, the three transports side by side, and
 * Play's Comet stream. {@link io.halley.demo.DemoApp} wires the app (in a WAR through its
 * {@code @WebListener}); {@link io.halley.demo.Main} runs it on an embedded Jetty through
 * {@link io.halley.demo.EmbeddedServer}.
 */
package io.halley.demo;
