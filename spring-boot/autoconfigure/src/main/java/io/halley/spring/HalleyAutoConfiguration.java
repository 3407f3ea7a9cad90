package io.halley.spring;

import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.core.HalleyConfig;
import io.halley.core.spi.ChannelHistory;
import io.halley.core.spi.Hub;
import io.halley.core.spi.Queue;
import io.halley.redis.RedisChannelHistory;
import io.halley.redis.RedisHub;
import io.halley.redis.RedisQueue;
import io.halley.redis.RedisSettings;
import io.halley.servlet.CometServlet;
import io.halley.servlet.CometSettings;
import io.halley.servlet.HalleySessionListener;
import io.halley.spring.internal.BeanRegistrar;
import io.halley.spring.internal.ConfigurationMetadata;
import io.halley.spring.internal.HalleyLifecycle;
import io.halley.spring.internal.RedisConnection;
import io.halley.spring.internal.SettingProperties;
import io.halley.spring.internal.SpringCometServlet;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Halley in a Spring Boot application. Beans, each left out when the application defines its own:
 * <ul>
 *   <li>{@link Halley}, built from the {@code halley.*} properties (every setting of
 *   {@link HalleyConfig#SETTINGS}, see {@code docs/settings.md}), the application's
 *   {@link ChannelPolicy}, {@link Hub}, {@link Queue} and {@link ChannelHistory} beans if any, and
 *   its {@link HalleyCustomizer}s. It lives as long as the context: started with it, and closed
 *   (held streams ended first) before the web server's graceful shutdown begins.</li>
 *   <li>The application's {@code PageListener}, {@code ActionHandler} (route = bean name),
 *   {@code CallbackHandler} (name = bean name) beans and beans with {@code @Callback} methods are
 *   registered on it once every singleton exists.</li>
 *   <li>In a servlet web application: {@link CometServlet} at {@code halley.path} (default
 *   {@code /halley/*}), async, loaded on startup, with the servlet settings of
 *   {@link CometSettings#SETTINGS} from the same {@code halley.*} properties; and
 *   {@link HalleySessionListener}.</li>
 *   <li>With {@code halley-redis} on the class path and {@code halley.redis.uri} (or Spring Data
 *   Redis's {@code spring.data.redis.url} / {@code host} / {@code sentinel.*} / {@code cluster.nodes}) set: {@link RedisHub},
 *   {@link RedisQueue} and {@link RedisChannelHistory} from the {@code halley.redis.*}
 *   properties.</li>
 * </ul>
 * A bad property value fails the context's start with a message naming the property. Metrics
 * (a Micrometer {@code MeterBinder}) and the hub's Actuator health component {@code halley} are
 * nested configurations, each used only when its classes are on the class path.
 */
@AutoConfiguration
@ConditionalOnClass(Halley.class)
public class HalleyAutoConfiguration {

    /** The runtime of the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Halley halley(Environment env, ObjectProvider<Hub> hub, ObjectProvider<Queue> queue,
                         ObjectProvider<ChannelHistory> history, ObjectProvider<ChannelPolicy> policy,
                         ObjectProvider<HalleyCustomizer> customizers) {
        Halley.Builder b = Halley.builder();
        SettingProperties.apply(env, "halley", HalleyConfig.SETTINGS, b);
        hub.ifUnique(b::hub);
        queue.ifUnique(b::queue);
        history.ifUnique(b::history);
        policy.ifUnique(b::channelPolicy);
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    /** Registers the application's listener, action and callback beans on the runtime. */
    @Bean
    public static BeanRegistrar halleyBeanRegistrar(ListableBeanFactory beans, ObjectProvider<Halley> halley) {
        return new BeanRegistrar(beans, halley);
    }

    /** Starts the runtime with the context and stops it before the web server's graceful shutdown. */
    @Bean
    public HalleyLifecycle halleyLifecycle(Halley halley, ObjectProvider<SpringCometServlet> servlet) {
        return new HalleyLifecycle(halley, servlet::getIfAvailable);
    }

    /** The servlet and the session listener, in a servlet web application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(CometServlet.class)
    public static class Servlet {

        /** The servlet serving the context's runtime. */
        @Bean
        public SpringCometServlet halleyServlet(Halley halley, Environment env, ObjectProvider<HalleyCustomizer> customizers) {
            List<HalleyCustomizer> all = customizers.orderedStream().toList();
            Consumer<CometSettings.Builder> settings = sb -> {
                SettingProperties.apply(env, "halley", CometSettings.SETTINGS, sb);
                all.forEach(c -> c.customize(sb));
            };
            CometSettings.Builder check = CometSettings.builder(); // a bad value fails the context now, not the servlet later
            settings.accept(check);
            check.build();
            return new SpringCometServlet(halley, settings);
        }

        /** Mounts it at {@code halley.path}. */
        @Bean
        public ServletRegistrationBean<SpringCometServlet> halleyServletRegistration(SpringCometServlet servlet, Environment env) {
            String path = env.getProperty(ConfigurationMetadata.PATH, ConfigurationMetadata.DEFAULT_PATH).trim();
            if (!path.startsWith("/") || !path.endsWith("/*")) {
                throw new IllegalArgumentException("property " + ConfigurationMetadata.PATH + ": bad value '" + path
                        + "' (a path mapping such as /halley/*: starts with / and ends with /*)");
            }
            ServletRegistrationBean<SpringCometServlet> reg = new ServletRegistrationBean<>(servlet, path);
            reg.setName("halley");
            reg.setAsyncSupported(true);
            reg.setLoadOnStartup(1);
            return reg;
        }

        /** Ends a session's pages when the session ends. */
        @Bean
        public ServletListenerRegistrationBean<HalleySessionListener> halleySessionListener() {
            return new ServletListenerRegistrationBean<>(new HalleySessionListener());
        }
    }

    /** Redis for several nodes, with halley-redis present and a server named. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.halley.redis.RedisHub")
    @Conditional(RedisNamed.class)
    public static class Redis {

        @Bean
        @ConditionalOnMissingBean
        public RedisSettings halleyRedisSettings(Environment env) {
            return RedisConnection.settings(env);
        }

        /** Closed by the runtime, not by the context. */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(Hub.class)
        public RedisHub halleyRedisHub(RedisSettings settings) {
            return new RedisHub(settings);
        }

        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(Queue.class)
        public RedisQueue halleyRedisQueue(RedisSettings settings) {
            return new RedisQueue(settings);
        }

        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(ChannelHistory.class)
        public RedisChannelHistory halleyRedisHistory(RedisSettings settings) {
            return new RedisChannelHistory(settings);
        }
    }

    /**
     * Halley's meters ({@code Halley.metrics()}) in the application's Micrometer registry: a
     * {@code MeterBinder} bean, which Boot's metrics auto-configuration binds to every registry
     * (with Actuator, {@code /actuator/metrics/halley.pages.live} and the rest).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.halley.micrometer.HalleyMeterBinder", "io.micrometer.core.instrument.MeterRegistry"})
    public static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        public io.halley.micrometer.HalleyMeterBinder halleyMeterBinder(Halley halley) {
            return new io.halley.micrometer.HalleyMeterBinder(halley);
        }
    }

    /**
     * The hub's health as the Actuator health component {@code halley} on Spring Boot 3.5: UP
     * when the hub answers (always, in memory; a PING within 1 s on Redis), DOWN otherwise, with
     * the hub's detail (never an address).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    public static class Boot3Health {
        @Bean
        @ConditionalOnMissingBean(name = "halleyHealthIndicator")
        public org.springframework.boot.actuate.health.HealthIndicator halleyHealthIndicator(Halley halley) {
            return () -> {
                io.halley.core.spi.HubHealth h = halley.hubHealth();
                return (h.up() ? org.springframework.boot.actuate.health.Health.up()
                        : org.springframework.boot.actuate.health.Health.down()).withDetail("hub", h.detail()).build();
            };
        }
    }

    /** The same health component on Spring Boot 4.0, whose health API moved to {@code spring-boot-health}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    public static class Boot4Health {
        @Bean
        @ConditionalOnMissingBean(name = "halleyHealthIndicator")
        public org.springframework.boot.health.contributor.HealthIndicator halleyHealthIndicator(Halley halley) {
            return () -> {
                io.halley.core.spi.HubHealth h = halley.hubHealth();
                return (h.up() ? org.springframework.boot.health.contributor.Health.up()
                        : org.springframework.boot.health.contributor.Health.down()).withDetail("hub", h.detail()).build();
            };
        }
    }

    /**
     * {@code halley.redis.uri} is set, or Spring Data Redis's {@code url}, {@code host},
     * {@code sentinel.master} / {@code sentinel.nodes} or {@code cluster.nodes}.
     */
    static final class RedisNamed implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return io.halley.spring.internal.SpringDataRedis.named(context.getEnvironment());
        }
    }
}
