/**
 * Implementation of the Spring Boot auto-configuration. Not API: changed in any release without
 * notice. The {@code halley.*} properties read from the setting declarations
 * ({@code SettingProperties}) and their IDE metadata ({@code ConfigurationMetadata}), the servlet
 * the context's runtime is served by ({@code SpringCometServlet}), the lifecycle that stops it
 * before the web server's graceful shutdown ({@code HalleyLifecycle}), the registration of
 * callback, action and listener beans ({@code BeanRegistrar}), and the Redis connection taken
 * from {@code halley.redis.*} or {@code spring.data.redis.*} ({@code RedisConnection}, with
 * {@code SpringDataRedis} reading Spring Data Redis's properties: server, Sentinel or cluster).
 */
package io.halley.spring.internal;
