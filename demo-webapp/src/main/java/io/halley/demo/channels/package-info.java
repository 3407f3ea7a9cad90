/**
 * The channel demos (Jii): the one-a-second {@code feed} of the Transports page and who watches
 * it, the server's {@code announcements}, and the server actions {@code demo.echo} and
 * {@code demo.time} of the Channels page.
 */
package io.halley.demo.channels;
