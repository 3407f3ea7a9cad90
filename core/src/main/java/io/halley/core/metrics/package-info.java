/**
 * Halley's meters, with no dependency: {@link io.halley.core.metrics.HalleyMetrics} (from
 * {@code Halley.metrics()}) lists every {@link io.halley.core.metrics.Meter} (name, kind, unit,
 * description, tags, live value) and holds the recorders Halley's modules write to:
 * {@link io.halley.core.metrics.TransportMeters} (per transport),
 * {@link io.halley.core.metrics.HubMeters} and {@link io.halley.core.metrics.RunMeters}
 * (callbacks, actions). The runtime registers the same values as a JMX MBean
 * ({@code io.halley:type=Halley,name=<nodeId>}); {@code halley-micrometer} binds them to a
 * Micrometer registry. Recording is a {@code LongAdder} addition, never a lock.
 *
 * <p>Audience: applications and monitoring read; transports and hubs record. Public types:
 * {@link io.halley.core.metrics.HalleyMetrics}, {@link io.halley.core.metrics.Meter} (with its
 * {@code Kind}), {@link io.halley.core.metrics.TransportMeters},
 * {@link io.halley.core.metrics.HubMeters}, {@link io.halley.core.metrics.RunMeters}. The MBean
 * class is package-private.
 */
package io.halley.core.metrics;
