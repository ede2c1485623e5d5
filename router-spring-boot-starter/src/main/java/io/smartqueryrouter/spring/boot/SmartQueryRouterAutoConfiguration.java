package io.smartqueryrouter.spring.boot;

import io.micrometer.observation.ObservationRegistry;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.micrometer.RouterMetrics;
import io.smartqueryrouter.micrometer.RouterObservations;
import io.smartqueryrouter.okhttp.RoutingInterceptor;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Builds the routers of {@code smartqueryrouter.routers.*} (see {@link SmartQueryRouterProperties})
 * and what goes with them, each part when the application has what it needs:
 * <ul>
 *   <li>always: {@link SmartQueryRouters}, and a {@code Router} bean per router under the router's name;
 *   <li>router-okhttp and OkHttp on the class path, and a router with HTTP nodes: a
 *       {@code RoutingInterceptor} bean routing each HTTP router's name as a logical host
 *       ({@code http://orders/items}), and an {@code OkHttpClient} bean with it (unless the application
 *       declares its own), customized by {@link OkHttpClientCustomizer} beans;
 *   <li>router-jdbc on the class path and a router with {@code jdbc:} nodes: a
 *       {@code RoutingDataSource} bean {@code <name>DataSource} over one HikariCP pool per node; with
 *       one such router it is the application's {@code DataSource}, and
 *       {@code @Transactional(readOnly = true)} goes to the replicas;
 *   <li>{@link RouterMetrics} over every router, which Boot binds to its {@code MeterRegistry};
 *   <li>Spring Boot's health module on the class path: the health contributor {@code smartqueryrouter},
 *       a {@link RouterHealthIndicator} per router (off with {@code management.health.smartqueryrouter.enabled=false});
 *   <li>an {@code ObservationRegistry} bean: each attempt becomes an {@code Observation}
 *       ({@link RouterObservations}), so traces show the node, attempt number, kind and outcome.
 * </ul>
 * {@code smartqueryrouter.enabled=false} turns all of it off.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"},
        afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "smartqueryrouter.enabled", matchIfMissing = true)
@Import(RouterBeansRegistrar.class)
public final class SmartQueryRouterAutoConfiguration {

    /** Created by Spring Boot. */
    public SmartQueryRouterAutoConfiguration() {
    }

    /**
     * Meters of every router ({@code smartqueryrouter.requests} and the others of router-micrometer).
     *
     * @param routers the configured routers
     * @return the binder, which Boot binds to each {@code MeterRegistry}
     */
    @Bean
    @Conditional(OnRoutersCondition.class)
    @ConditionalOnMissingBean(RouterMetrics.class)
    public RouterMetrics smartQueryRouterMetrics(SmartQueryRouters routers) {
        return RouterMetrics.builder().routers(routers.routers().values()).build();
    }

    /** OkHttp: the routing interceptor and a client with it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"okhttp3.OkHttpClient", "io.smartqueryrouter.okhttp.RoutingInterceptor"})
    @Conditional(OnRoutersCondition.Http.class)
    static class OkHttpConfiguration {

        @Bean(destroyMethod = "")
        RoutingInterceptor smartQueryRouterInterceptor(SmartQueryRouters routers) {
            // owned and closed by SmartQueryRouters
            return (RoutingInterceptor) routers.interceptor();
        }

        @Bean
        @ConditionalOnMissingBean(OkHttpClient.class)
        OkHttpClient smartQueryRouterOkHttpClient(RoutingInterceptor interceptor,
                ObjectProvider<OkHttpClientCustomizer> customizers) {
            OkHttpClient.Builder builder = new OkHttpClient.Builder().addInterceptor(interceptor);
            customizers.orderedStream().forEach(c -> c.customize(builder));
            return builder.build();
        }
    }

    /** Actuator: one health indicator per router under the contributor {@code smartqueryrouter}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @Conditional(OnRoutersCondition.class)
    @ConditionalOnBooleanProperty(name = "management.health.smartqueryrouter.enabled", matchIfMissing = true)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "smartqueryrouterHealthContributor")
        CompositeHealthContributor smartqueryrouterHealthContributor(SmartQueryRouters routers) {
            Map<String, HealthContributor> indicators = new LinkedHashMap<>();
            for (Router<?> router : routers.routers().values()) {
                indicators.put(router.name(), new RouterHealthIndicator(router));
            }
            return CompositeHealthContributor.fromMap(indicators);
        }
    }

    /** Micrometer Observation: one observation per attempt, when the application has a registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
    @Conditional(OnRoutersCondition.class)
    static class ObservationConfiguration {

        @Bean
        @ConditionalOnBean(ObservationRegistry.class)
        @ConditionalOnMissingBean(RouterObservations.class)
        RouterObservations smartQueryRouterObservations(ObservationRegistry registry, SmartQueryRouters routers) {
            return RouterObservations.of(registry).observe(routers.routers().values().toArray(Router<?>[]::new));
        }
    }
}
