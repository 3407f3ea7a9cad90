/**
 * JMH microbenchmarks of Halley's per-message work (encoding, wire formats), run by the suite.
 */
package io.halley.bench.micro;
