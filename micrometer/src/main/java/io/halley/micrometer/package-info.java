/**
 * Halley's meters in Micrometer ({@code halley-micrometer}): {@link io.halley.micrometer.HalleyMeterBinder}
 * binds every meter of a runtime's {@link io.halley.core.metrics.HalleyMetrics} to a
 * {@code MeterRegistry} (in Spring Boot, declare it as a {@code MeterBinder} bean and the Actuator
 * shows the meters). Public types: {@link io.halley.micrometer.HalleyMeterBinder}.
 */
package io.halley.micrometer;
