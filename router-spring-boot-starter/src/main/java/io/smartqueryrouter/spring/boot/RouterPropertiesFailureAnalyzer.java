package io.smartqueryrouter.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows a {@link RouterPropertiesException} as Boot's "APPLICATION FAILED TO START" report, without a stack trace. */
final class RouterPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<RouterPropertiesException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RouterPropertiesException cause) {
        return new FailureAnalysis(cause.getMessage(), "Correct " + cause.property() + (cause.origin().isEmpty() ? ""
                : " (" + cause.origin() + ")") + "; the keys, values and defaults are in the README of router-spring-boot-starter.",
                cause);
    }
}
