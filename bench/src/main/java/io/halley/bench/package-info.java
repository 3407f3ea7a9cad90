/**
 * Benchmarks against a plain Jetty baseline and CometD (work in progress: see the benchmark issue).
 */
package io.halley.bench;
