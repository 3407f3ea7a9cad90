/**
 * The clock demo ({@code /clock}, Nitrogen's {@code #comet{}}): a comet function started while the
 * page renders loops {@code update} + {@code flush} + {@code sleep}; its reconnect action restarts
 * it on a new page ({@code POST /demo/clock/start}).
 */
package io.halley.demo.clock;
