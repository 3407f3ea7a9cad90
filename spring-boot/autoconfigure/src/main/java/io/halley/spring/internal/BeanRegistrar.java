package io.halley.spring.internal;

import io.halley.core.ActionHandler;
import io.halley.core.Callback;
import io.halley.core.CallbackHandler;
import io.halley.core.Halley;
import io.halley.core.PageListener;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;

/**
 * Hands the application's beans to the context's {@link Halley} once every singleton exists
 * (before the web server takes requests): each {@link PageListener}; each {@link ActionHandler}
 * under its bean name as the route; each {@link CallbackHandler} under its bean name; and each
 * bean whose class has a {@link Callback} method, through {@link Halley#registerObject}. Runs once,
 * on the thread that refreshes the context; a bad name fails the refresh with Halley's message.
 */
public final class BeanRegistrar implements SmartInitializingSingleton {
    private static final Logger LOG = LoggerFactory.getLogger(BeanRegistrar.class);

    private final ListableBeanFactory beans;
    private final ObjectProvider<Halley> runtime;

    /** @param runtime the context's runtime, looked up once every singleton exists */
    public BeanRegistrar(ListableBeanFactory beans, ObjectProvider<Halley> runtime) {
        this.beans = beans;
        this.runtime = runtime;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Halley halley = runtime.getIfUnique();
        if (halley == null) return;
        for (PageListener l : beans.getBeansOfType(PageListener.class).values()) halley.addPageListener(l);
        for (Map.Entry<String, ActionHandler> e : beans.getBeansOfType(ActionHandler.class).entrySet()) {
            halley.action(e.getKey(), e.getValue());
            LOG.debug("action {} from bean {}", e.getKey(), e.getValue().getClass().getName());
        }
        for (Map.Entry<String, CallbackHandler> e : beans.getBeansOfType(CallbackHandler.class).entrySet()) {
            halley.register(e.getKey(), e.getValue());
        }
        for (String name : beans.getBeanDefinitionNames()) {
            Class<?> type = beans.getType(name, false);
            if (type == null || !hasCallback(ClassUtils.getUserClass(type))) continue;
            List<String> names = halley.registerObject(beans.getBean(name));
            LOG.debug("callbacks {} from bean {}", names, name);
        }
    }

    private static boolean hasCallback(Class<?> type) {
        if (type.getName().startsWith("org.springframework.")) return false;
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(Callback.class)) return true;
        }
        return false;
    }
}
