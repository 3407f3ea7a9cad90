package io.halley.core.metrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only MBean of a {@link HalleyMetrics}: one attribute per meter, named by
 * {@link Meter#attributeName()} ({@code pages.live}, {@code streams.held.sse} …), a {@code Long};
 * a timer is two attributes, {@code <name>.count} (Long) and {@code <name>.totalSeconds} (Double).
 * Built from the meter list each time it is asked, so transports added later appear.
 */
final class MetricsMBean implements DynamicMBean {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsMBean.class);
    private final HalleyMetrics metrics;

    private MetricsMBean(HalleyMetrics metrics) {
        this.metrics = metrics;
    }

    static ObjectName objectName(String nodeId) {
        String quoted = nodeId.matches("[A-Za-z0-9._-]+") ? nodeId : ObjectName.quote(nodeId);
        try {
            return new ObjectName("io.halley:type=Halley,name=" + quoted);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("node id makes no JMX name: " + nodeId, e);
        }
    }

    static AutoCloseable register(HalleyMetrics metrics) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(metrics.nodeId());
        try {
            server.registerMBean(new MetricsMBean(metrics), name);
        } catch (JMException | RuntimeException e) {
            LOG.warn("Halley's metrics are not on JMX: registering {} failed ({})", name, e.toString());
            return () -> { };
        }
        return () -> {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException gone) {
                // unregistered by someone else: nothing to do
            } catch (JMException | RuntimeException e) {
                LOG.debug("unregistering {}: {}", name, e.toString());
            }
        };
    }

    /** Attribute name to value reader, in the meters' order. */
    private Map<String, Object> values() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Meter m : metrics.meters()) {
            if (m.kind() == Meter.Kind.TIMER) {
                out.put(m.attributeName() + ".count", (long) m.value());
                out.put(m.attributeName() + ".totalSeconds", m.totalSeconds());
            } else {
                out.put(m.attributeName(), (long) m.value());
            }
        }
        return out;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Object v = values().get(attribute);
        if (v == null) throw new AttributeNotFoundException("no Halley meter " + attribute);
        return v;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("Halley's meters are read-only: " + attribute.getName());
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        Map<String, Object> all = values();
        AttributeList out = new AttributeList();
        for (String a : attributes) {
            Object v = all.get(a);
            if (v != null) out.add(new Attribute(a, v));
        }
        return out;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("Halley's MBean has no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        List<MBeanAttributeInfo> attrs = new ArrayList<>();
        for (Meter m : metrics.meters()) {
            String what = m.description() + " (" + m.kind().name().toLowerCase(java.util.Locale.ROOT) + ", " + m.unit() + ")";
            if (m.kind() == Meter.Kind.TIMER) {
                attrs.add(new MBeanAttributeInfo(m.attributeName() + ".count", Long.class.getName(), what, true, false, false));
                attrs.add(new MBeanAttributeInfo(m.attributeName() + ".totalSeconds", Double.class.getName(),
                        "total time of " + m.description() + " (seconds)", true, false, false));
            } else {
                attrs.add(new MBeanAttributeInfo(m.attributeName(), Long.class.getName(), what, true, false, false));
            }
        }
        return new MBeanInfo(MetricsMBean.class.getName(), "Halley runtime " + metrics.nodeId() + ": its meters",
                attrs.toArray(new MBeanAttributeInfo[0]), null, null, null);
    }
}
