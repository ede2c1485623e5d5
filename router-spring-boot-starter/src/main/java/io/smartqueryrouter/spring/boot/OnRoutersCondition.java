package io.smartqueryrouter.spring.boot;

import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code smartqueryrouter.routers} configures a router, and for {@link Http} one with HTTP
 * nodes; a cheap look at the property names and URLs (the full check is {@link RouterSettings}'s).
 */
class OnRoutersCondition extends SpringBootCondition {
    private static final ConfigurationPropertyName ROUTERS = ConfigurationPropertyName.of(RouterSettings.PREFIX + ".routers");

    private final boolean httpOnly;

    OnRoutersCondition() {
        this(false);
    }

    OnRoutersCondition(boolean httpOnly) {
        this.httpOnly = httpOnly;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            for (ConfigurationPropertyName name : iterable) {
                if (ROUTERS.isAncestorOf(name) && (!httpOnly || isHttpUrl(name, source))) {
                    return ConditionOutcome.match("found " + name);
                }
            }
        }
        return ConditionOutcome.noMatch(httpOnly ? "no router with http:// or https:// nodes under smartqueryrouter.routers"
                : "no router under smartqueryrouter.routers");
    }

    private static boolean isHttpUrl(ConfigurationPropertyName name, ConfigurationPropertySource source) {
        if (!name.getLastElement(Form.UNIFORM).equals("url")) {
            return false;
        }
        Object value = source.getConfigurationProperty(name).getValue();
        String url = String.valueOf(value).toLowerCase(Locale.ROOT);
        return url.startsWith("http://") || url.startsWith("https://");
    }

    /** Matches when a router has HTTP nodes. */
    static final class Http extends OnRoutersCondition {
        Http() {
            super(true);
        }
    }
}
