package io.smartqueryrouter.spring.boot;

import okhttp3.OkHttpClient;

/**
 * Customizes the {@link OkHttpClient} the auto-configuration builds (timeouts, a dispatcher, more
 * interceptors), after the routing interceptor was added. Declare it as a bean; customizers are
 * applied in their {@code @Order}. An application that declares its own {@code OkHttpClient} bean
 * gets none from the starter: it adds the {@code RoutingInterceptor} bean itself.
 */
@FunctionalInterface
public interface OkHttpClientCustomizer {
    /**
     * Customizes the builder.
     *
     * @param builder the client's builder, with the routing interceptor added
     */
    void customize(OkHttpClient.Builder builder);
}
