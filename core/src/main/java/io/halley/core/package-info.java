/**
 * Halley's application API: the runtime, pages, channels, callbacks and server actions. This is
 * the package application authors use (with {@link io.halley.core.comet} for comet functions and
 * pools and {@link io.halley.core.command} for the commands pushed to the browser).
 *
 * <pre>{@code
 * Halley halley = Halley.builder().pageLease(Duration.ofSeconds(30)).build().start();
 * halley.addPageListener(new PageListener() {
 *     public void opened(Page page) {
 *         page.subscribe("news");                          // channel messages reach the browser
 *         page.comet(c -> {                                // a comet function, on its own thread
 *             while (c.isAlive()) {
 *                 c.update("#clock", Instant.now().toString()).flush();
 *                 c.sleep(Duration.ofSeconds(1));
 *             }
 *         });
 *     }
 * });
 * halley.publish("news", Map.of("headline", "Halley 1.0"));  // every subscribed page, every node
 * }</pre>
 *
 * <p>Public types: {@link io.halley.core.Halley} (and its {@code Builder}),
 * {@link io.halley.core.HalleyConfig}, {@link io.halley.core.HalleyException},
 * {@link io.halley.core.ExecutorMode}, {@link io.halley.core.Page}, {@link io.halley.core.User} (who a
 * page belongs to; per-user push and the policy's rules are in {@link io.halley.core.user}),
 * {@link io.halley.core.PageListener}, {@link io.halley.core.PageWriter},
 * {@link io.halley.core.PageDiedException}, {@link io.halley.core.ChannelMessage},
 * {@link io.halley.core.ChannelListener}, {@link io.halley.core.ChannelPolicy},
 * {@link io.halley.core.Callback}, {@link io.halley.core.CallbackHandler},
 * {@link io.halley.core.CallResponse}, {@link io.halley.core.ActionHandler} and
 * {@link io.halley.core.Names}. Everything else here is package-private: the page registry, the
 * comet task, the callback registry and {@code Page.Host}, the narrow view of the runtime a page
 * gets instead of {@code Halley}.
 *
 * <p>Other audiences have their own packages: transports (the servlet module) use
 * {@link io.halley.core.transport}; hub, history and queue writers (the redis module) use
 * {@link io.halley.core.spi}; {@link io.halley.core.internal} is nobody's API.
 */
package io.halley.core;
