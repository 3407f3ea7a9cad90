/**
 * The Halley demo web app: Nitrogen's clock and chat, the three transports side by side, Play's
 * Comet stream, Sijax's streamed callbacks (progress), Jii's channels, listen-only pages, actions
 * and announcements, and a jQuery.comet-style client on the nginx-push endpoint.
 * {@link io.halley.demo.DemoApp} wires the app (in a WAR through its {@code @WebListener});
 * {@link io.halley.demo.Main} runs it on an embedded Jetty through
 * {@link io.halley.demo.EmbeddedServer}, alone or as one of several nodes on Redis
 * ({@code --redis URI}).
 *
 * <p>One sub-package per demo ({@code clock}, {@code chat}, {@code channels}, {@code play},
 * {@code jq}, {@code progress}); this package holds the wiring, the embedded server and what the
 * demos share ({@link io.halley.demo.Html}, {@link io.halley.demo.PageClose}); {@code https} holds
 * the embedded server's TLS and HTTP/2 listener ({@code --https}).
 */
package io.halley.demo;
