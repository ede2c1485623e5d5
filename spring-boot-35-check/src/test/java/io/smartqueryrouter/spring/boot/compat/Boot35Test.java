package io.smartqueryrouter.spring.boot.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.jdbc.RoutingDataSource;
import io.smartqueryrouter.spring.boot.RouterPropertiesException;
import io.smartqueryrouter.spring.boot.SmartQueryRouterAutoConfiguration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The starter, compiled against Spring Boot 4.0, in an application on Spring Boot 3.5: routers from
 * properties, the OkHttp client, the routing DataSource, metrics, observations and the startup
 * errors work; the health contributor needs Boot 4's health module and is left out.
 */
class Boot35Test {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SmartQueryRouterAutoConfiguration.class));

    @Test
    void runsOnSpringBoot35() {
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
    }

    @Test
    void anHttpRouterRoutesThroughTheClientAndEachAttemptIsObserved() throws Exception {
        List<String> stopped = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context.getLowCardinalityKeyValue("node").getValue() + " "
                        + context.getLowCardinalityKeyValue("outcome").getValue());
            }
        });
        try (MockWebServer a = new MockWebServer()) {
            a.start();
            a.enqueue(new MockResponse.Builder().body("from a").build());
            runner.withPropertyValues("smartqueryrouter.routers.orders.nodes[0].id=a",
                    "smartqueryrouter.routers.orders.nodes[0].url=" + a.url("/"),
                    "smartqueryrouter.routers.orders.healthCheck.probe=tcp",
                    "smartqueryrouter.routers.orders.healthCheck.interval=PT2S")
                    .withBean(ObservationRegistry.class, () -> registry)
                    .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasBean("orders")
                                .doesNotHaveBean("smartqueryrouterHealthContributor");
                        assertThat(context.getBean("orders", Router.class).name()).isEqualTo("orders");
                        try (Response r = context.getBean(OkHttpClient.class)
                                .newCall(new Request.Builder().url("http://orders/x").build()).execute()) {
                            assertThat(r.body().string()).isEqualTo("from a");
                        }
                        assertThat(stopped).containsExactly("a success");
                        assertThat(context.getBean(MeterRegistry.class).find("smartqueryrouter.requests")
                                .tags("router", "orders", "node", "a", "outcome", "success").timer().count()).isEqualTo(1);
                    });
        }
    }

    @Test
    void aJdbcRouterIsTheDataSource() {
        runner.withPropertyValues("smartqueryrouter.routers.db.nodes[0].id=p",
                "smartqueryrouter.routers.db.nodes[0].url=jdbc:h2:mem:b35p;DB_CLOSE_DELAY=-1",
                "smartqueryrouter.routers.db.nodes[0].labels.role=primary",
                "smartqueryrouter.routers.db.nodes[1].id=r",
                "smartqueryrouter.routers.db.nodes[1].url=jdbc:h2:mem:b35r;DB_CLOSE_DELAY=-1",
                "smartqueryrouter.routers.db.nodes[1].labels.role=replica")
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DataSource.class);
                    RoutingDataSource ds = context.getBean(RoutingDataSource.class);
                    assertThat(context.getBean(JdbcTemplate.class).queryForObject("select 1", Integer.class)).isEqualTo(1);
                    assertThat(ds.snapshot().node("p").requests()).isEqualTo(2);
                });
    }

    @Test
    void aBadValueFailsStartupWithTheLocatedMessage() {
        runner.withPropertyValues("smartqueryrouter.routers.orders.nodes[0].id=a",
                "smartqueryrouter.routers.orders.nodes[0].url=http://127.0.0.1:1/",
                "smartqueryrouter.routers.orders.health-check.probe=tcp",
                "smartqueryrouter.routers.orders.health-check.interval=2 sec")
                .run(context -> assertThat(context).getFailure().isInstanceOf(RouterPropertiesException.class)
                        .hasMessage("property source 'test': smartqueryrouter.routers.orders.health-check.interval must be a"
                                + " duration such as 500ms, 2s, 1m, PT2S or 1500 (milliseconds), but was '2 sec'"));
    }
}
