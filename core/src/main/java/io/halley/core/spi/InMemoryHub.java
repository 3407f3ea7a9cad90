package io.halley.core.spi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node {@link Hub}: delivers synchronously on the publisher's thread, by reference.
 * A receiver that throws is logged and does not stop delivery to the others.
 */
public final class InMemoryHub implements Hub {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryHub.class);

    private final Map<String, List<Consumer<HubMessage>>> topics = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public AutoCloseable subscribe(String topic, Consumer<HubMessage> receiver) {
        List<Consumer<HubMessage>> list = topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
        list.add(receiver);
        return () -> list.remove(receiver);
    }

    @Override
    public void publish(String topic, HubMessage message) {
        if (closed) return;
        List<Consumer<HubMessage>> list = topics.get(topic);
        if (list == null) return;
        for (Consumer<HubMessage> r : list) {
            try {
                r.accept(message);
            } catch (RuntimeException e) {
                LOG.warn("hub receiver on topic {} failed", topic, e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        topics.clear();
    }
}
