/**
 * The jQuery.comet demo: a Halley channel read through the nginx-push subscriber endpoint, and
 * notes posted to it ({@code POST /demo/jq/note}).
 */
package io.halley.demo.jq;
