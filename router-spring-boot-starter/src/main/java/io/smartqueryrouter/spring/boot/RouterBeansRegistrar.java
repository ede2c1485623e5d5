package io.smartqueryrouter.spring.boot;

import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.spring.boot.RouterSettings.Configured;
import io.smartqueryrouter.spring.boot.RouterSettings.Kind;
import java.net.URI;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Reads and checks {@code smartqueryrouter.*} while the application context loads its bean
 * definitions (so a mistake stops the start before any bean is made), then registers the
 * {@link SmartQueryRouters} bean, one {@code Router} bean per router under the router's own name, and
 * a {@code DataSource} bean {@code <name>DataSource} per JDBC router.
 */
final class RouterBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanClassLoaderAware {
    static final String ROUTERS_BEAN = "smartQueryRouters";

    private Environment environment;
    private ClassLoader classLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        boolean okHttp = okHttpPresent(classLoader);
        boolean jdbc = ClassUtils.isPresent("io.smartqueryrouter.jdbc.RoutingDataSource", classLoader);
        Map<String, Configured> configured = RouterSettings.read(environment, okHttp, jdbc);
        if (configured.isEmpty()) {
            return;
        }
        RootBeanDefinition all = new RootBeanDefinition(SmartQueryRouters.class,
                () -> SmartQueryRouters.build(configured, okHttp));
        all.setDestroyMethodName("close");
        registry.registerBeanDefinition(ROUTERS_BEAN, all);

        for (Configured c : configured.values()) {
            String name = c.config().name();
            Class<?> endpoint = c.kind() == Kind.JDBC ? DataSource.class
                    : okHttp ? ClassUtils.resolveClassName("okhttp3.HttpUrl", classLoader) : URI.class;
            RootBeanDefinition router = new RootBeanDefinition();
            router.setTargetType(ResolvableType.forClassWithGenerics(Router.class, endpoint));
            router.setFactoryBeanName(ROUTERS_BEAN);
            router.setFactoryMethodName("router");
            router.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            // SmartQueryRouters closes it, after its users
            router.setDestroyMethodName(null);
            router.setDependsOn(ROUTERS_BEAN);
            registry.registerBeanDefinition(name, router);
            if (c.kind() == Kind.JDBC) {
                RootBeanDefinition ds = new RootBeanDefinition();
                ds.setTargetType(ClassUtils.resolveClassName("io.smartqueryrouter.jdbc.RoutingDataSource", classLoader));
                ds.setFactoryBeanName(ROUTERS_BEAN);
                ds.setFactoryMethodName("dataSource");
                ds.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
                ds.setDependsOn(ROUTERS_BEAN);
                registry.registerBeanDefinition(name + "DataSource", ds);
            }
        }
    }

    static boolean okHttpPresent(ClassLoader classLoader) {
        return ClassUtils.isPresent("okhttp3.OkHttpClient", classLoader)
                && ClassUtils.isPresent("io.smartqueryrouter.okhttp.RoutingInterceptor", classLoader);
    }
}
