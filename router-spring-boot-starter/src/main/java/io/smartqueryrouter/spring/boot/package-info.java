/**
 * Spring Boot auto-configuration for SmartQueryRouter: routers from {@code smartqueryrouter.routers.*}
 * ({@link io.smartqueryrouter.spring.boot.SmartQueryRouterProperties}), as {@code Router},
 * {@code RoutingInterceptor}, {@code OkHttpClient} and {@code RoutingDataSource} beans, with metrics,
 * a health indicator per router and an observation per attempt
 * ({@link io.smartqueryrouter.spring.boot.SmartQueryRouterAutoConfiguration}).
 */
package io.smartqueryrouter.spring.boot;
