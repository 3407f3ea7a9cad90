/**
 * The runtime's machinery (Jetty 12's {@code .internal}, OkHttp's {@code okhttp3.internal}): the
 * page outbox, channels and their fan-out threads, pools, server actions, the comet executor, ids,
 * the JSON encoder, and {@link io.halley.core.internal.PageAccess}, the hook through which the
 * transport SPI and the fan-out reach a page's package-private parts.
 *
 * <p>Nobody's API: the types are public only so that {@code io.halley.core} can use them across
 * packages. Applications, transports and hubs must not use them; they change in any release
 * without notice. The core jar names itself {@code io.halley.core} as an automatic module.
 */
package io.halley.core.internal;
