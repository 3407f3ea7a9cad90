package io.halley.micrometer;

import io.halley.core.Halley;
import io.halley.core.metrics.HalleyMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Binds every meter of a Halley runtime ({@link HalleyMetrics#meters()}) to Micrometer registries,
 * under its own name and tags plus the binder's common tags: a {@link io.halley.core.metrics.Meter.Kind#COUNTER}
 * as a {@link FunctionCounter}, a {@code GAUGE} as a {@link Gauge}, a {@code TIMER} as a
 * {@link FunctionTimer} (count and total time). The registry reads the runtime's values when it
 * publishes; nothing is copied or polled in between. Meters of a transport that appears later
 * (say, a WebSocket transport's first stream) are bound to every registry this binder was bound
 * to when they appear.
 *
 * <pre>{@code
 * new HalleyMeterBinder(halley).bindTo(registry);   // halley.pages.live, halley.streams.held{transport=sse} …
 * }</pre>
 *
 * <p>In Spring Boot, a {@code MeterBinder} bean is bound to the Actuator's registry by Boot
 * itself. Thread-safe; {@link #bindTo} may be called for several registries. {@link #close()}
 * stops binding later meters (those bound stay until the registry removes them).
 */
public final class HalleyMeterBinder implements MeterBinder, AutoCloseable {
    private final HalleyMetrics metrics;
    private final Tags tags;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final AutoCloseable subscription;

    /** A binder for {@code halley}'s meters, with no extra tags. */
    public HalleyMeterBinder(Halley halley) {
        this(Objects.requireNonNull(halley, "halley").metrics(), Tags.empty());
    }

    /**
     * A binder for {@code metrics}, adding {@code tags} to every meter (for example
     * {@code Tags.of("node", halley.config().nodeId())} when several runtimes share a registry).
     */
    public HalleyMeterBinder(HalleyMetrics metrics, Iterable<Tag> tags) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.subscription = metrics.onNewMeters(added -> {
            for (MeterRegistry r : registries) bind(r, added);
        });
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        registries.add(registry);
        bind(registry, metrics.meters());
    }

    private void bind(MeterRegistry registry, List<io.halley.core.metrics.Meter> meters) {
        for (io.halley.core.metrics.Meter m : meters) {
            Tags all = tags;
            for (Map.Entry<String, String> t : m.tags().entrySet()) all = all.and(t.getKey(), t.getValue());
            switch (m.kind()) {
                case COUNTER:
                    FunctionCounter.builder(m.name(), m, io.halley.core.metrics.Meter::value)
                            .baseUnit(m.unit()).description(m.description()).tags(all).register(registry);
                    break;
                case GAUGE:
                    Gauge.builder(m.name(), m, io.halley.core.metrics.Meter::value)
                            .baseUnit(m.unit()).description(m.description()).tags(all).register(registry);
                    break;
                case TIMER:
                    FunctionTimer.builder(m.name(), m, x -> (long) x.value(), io.halley.core.metrics.Meter::totalSeconds,
                            TimeUnit.SECONDS).description(m.description()).tags(all).register(registry);
                    break;
                default:
                    throw new IllegalStateException("unknown meter kind " + m.kind());
            }
        }
    }

    /** Stops binding the meters of transports that appear from now on. Idempotent. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException(e); // never: the subscription's close only removes a listener
        }
        registries.clear();
    }
}
