package io.smartqueryrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A whole application that starts with a mistake in its properties: Boot's report shows our message, no secret. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void anUnknownKeyUnderARouterStopsTheStartWithBootsReportAndNoPassword(CapturedOutput output) {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run(
                "--smartqueryrouter.routers.orders-db.nodes[0].id=p",
                "--smartqueryrouter.routers.orders-db.nodes[0].url=jdbc:h2:mem:startup",
                "--smartqueryrouter.routers.orders-db.nodes[0].labels.role=primary",
                "--smartqueryrouter.routers.orders-db.nodes[0].password=hunter2",
                "--smartqueryrouter.routers.orders-db.helthCheck.probe=jdbc"))
                .isInstanceOf(RouterPropertiesException.class)
                .hasMessage("property source 'commandLineArgs': smartqueryrouter.routers.orders-db.helthCheck is not a known"
                        + " key; did you mean 'health-check'? allowed keys in smartqueryrouter.routers.orders-db: policy,"
                        + " nodes, health-check, outlier-ejection, retry, hedge, concurrency-limit, pool");
        assertThat(output).contains("APPLICATION FAILED TO START", "Description:",
                "smartqueryrouter.routers.orders-db.helthCheck is not a known key; did you mean 'health-check'?",
                "Action:", "Correct smartqueryrouter.routers.orders-db.helthCheck (property source 'commandLineArgs')");
        assertThat(output.getAll()).doesNotContain("hunter2");
    }
}
