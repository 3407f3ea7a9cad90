/**
 * The chat demo ({@code /chat}, Nitrogen's GLOBAL pools): one function per tab in the pool
 * {@code chat}, membership messages shown as who is here, dying messages as who left, lines said
 * through {@code POST /demo/chat/say}.
 */
package io.halley.demo.chat;
