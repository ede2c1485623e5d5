/**
 * YAML configuration for SmartQueryRouter: {@link io.smartqueryrouter.yaml.RouterYaml} reads a file
 * into {@link io.smartqueryrouter.yaml.RouterYamlConfig}, one core
 * {@link io.smartqueryrouter.core.config.RouterConfig} per router; mistakes are
 * {@link io.smartqueryrouter.yaml.RouterConfigException}s that say where and what.
 */
package io.smartqueryrouter.yaml;
