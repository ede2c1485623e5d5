/**
 * Micrometer meters for routers: see {@link io.smartqueryrouter.micrometer.RouterMetrics}.
 */
package io.smartqueryrouter.micrometer;
