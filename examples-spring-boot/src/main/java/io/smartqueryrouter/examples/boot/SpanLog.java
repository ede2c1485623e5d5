package io.smartqueryrouter.examples.boot;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A logging span exporter: Spring Boot's Brave tracing hands every finished span to this handler,
 * which logs it on one line (name, trace and parent ids, duration, tags). A real application
 * exports to Zipkin or OTLP instead; the spans are the same.
 */
@Configuration(proxyBeanMethods = false)
public class SpanLog {
    private static final Logger LOG = LoggerFactory.getLogger("spans");

    /** {@return the handler that logs each finished span} */
    @Bean
    SpanHandler loggingSpanHandler() {
        return new SpanHandler() {
            @Override
            public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                LOG.info("span '{}' trace={} parent={} {} ms {}", span.name(), context.traceIdString(),
                        context.parentIdString(), String.format("%.1f", (span.finishTimestamp() - span.startTimestamp()) / 1000.0),
                        span.tags());
                return true;
            }
        };
    }
}
