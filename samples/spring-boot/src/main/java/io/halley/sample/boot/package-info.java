/**
 * The Spring Boot sample (nobody's API): {@code SampleApplication} (security, the channel
 * policy), {@code NewsController} (the page, publishing), {@code Shouter} (a streamed callback).
 */
package io.halley.sample.boot;
