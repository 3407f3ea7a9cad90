/**
 * Scale-out over Redis: hub, queue and channel history for several nodes (work in progress: see the scale-out issue).
 */
package io.halley.redis;
